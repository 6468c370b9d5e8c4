"""The signed bundle: one zip file a recipient can check with OpenSSL and sha256sum alone.

Members (flat, no folders):
- the payload: referral.json and referral.pdf (or transfer.json for a transfer);
- signer.pem, the team's certificate;
- SHA256SUMS, "<sha256>  <name>" lines for the payload and signer.pem (`sha256sum -c` format);
- manifest.json: schema version, bundle id, types, who made it and when, the establishment,
  the recipient, the signer's fingerprint, and every other member with its size and SHA-256;
- manifest.json.p7s, a detached CMS signature (DER) over manifest.json's exact bytes.

So the signature proves the manifest, the manifest proves every member, and nothing can be
added or removed without the member list disagreeing. `verify` checks all of it and stops at
the first problem with a specific code and a plain sentence.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from app.bundles import cms
from app.bundles.identity import Identity, fingerprint, subject_text

SCHEMA_VERSION = 1
EXTENSION = ".rsb"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.p7s"
SUMS = "SHA256SUMS"
SIGNER = "signer.pem"
MAX_TOTAL = 200 * 1024 * 1024  # uncompressed bytes: refuse zip bombs


class BundleError(Exception):
    """What is wrong with a bundle: `code` for scripts, the message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class BuiltBundle:
    data: bytes
    manifest: dict
    bundle_id: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class VerifiedBundle:
    manifest: dict
    members: dict[str, bytes]
    certificate: x509.Certificate
    signing_time: datetime | None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)

    @property
    def signer(self) -> str:
        return subject_text(self.certificate)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sums_text(members: Mapping[str, bytes]) -> bytes:
    return "".join(f"{_sha256(data)}  {name}\n" for name, data in members.items()).encode()


def build(payload: Mapping[str, bytes], identity: Identity, *, bundle_type: str,
          referral_type: str, created_at: datetime, created_by: tuple[str, str],
          establishment: str, recipient: str,
          bundle_id: str | None = None) -> BuiltBundle:  # fmt: skip
    """The bundle's bytes: payload members, certificate, sums, manifest and its signature."""
    bundle_id = bundle_id or str(uuid.uuid4())
    members: dict[str, bytes] = dict(payload)
    members[SIGNER] = identity.certificate_pem()
    members[SUMS] = sums_text(members)
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "bundle_id": bundle_id,
        "bundle_type": bundle_type,
        "referral_type": referral_type,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="seconds")
        .replace("+00:00", "Z"),
        "created_by": {"name": created_by[0], "role": created_by[1]},
        "establishment": establishment,
        "recipient": recipient,
        "signer_fingerprint_sha256": identity.fingerprint,
        "members": [{"name": name, "size": len(data), "sha256": _sha256(data)}
                    for name, data in members.items()],
    }  # fmt: skip
    manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    signature = cms.sign_detached(manifest_bytes, identity.certificate, identity.key)
    buffer = io.BytesIO()
    stamp = created_at.astimezone(UTC).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in ((MANIFEST, manifest_bytes), *members.items(), (SIGNATURE, signature)):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return BuiltBundle(buffer.getvalue(), manifest, bundle_id)


MAX_DEPTH = 64  # no Resettle document nests anywhere near this deep


def _too_deep(document: object) -> bool:
    stack = [(document, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) \
            else None  # fmt: skip
        if children is None:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def load_json(data: bytes, name: str, code: str = "bad_json") -> object:
    """A bundle member as JSON; BundleError (not a crash) when it is not, or absurdly nested."""
    try:
        document = json.loads(data)
    except RecursionError:
        document = None
        deep = True
    except ValueError:
        raise BundleError(code, f"{name} cannot be read: it is not valid JSON.") from None
    else:
        deep = _too_deep(document)
    if deep:
        raise BundleError(code, f"{name} cannot be read: it is nested more than {MAX_DEPTH} "
                          "levels deep, which no Resettle bundle is.")  # fmt: skip
    return document


def _safe_name(name: str) -> bool:
    return (bool(name) and "/" not in name and "\\" not in name and name not in (".", "..")
            and ":" not in name and not name.startswith("."))  # fmt: skip


def read_members(data: bytes) -> dict[str, bytes]:
    """Every member of the zip, refusing damaged, cut-short and path-escaping archives."""
    if data[:1] == b"\x30" and not data.startswith(b"PK"):
        raise BundleError("encrypted", "This bundle is encrypted (.p7m). Decrypt it first with "
                          "the recipient's key: openssl cms -decrypt -binary -inform DER -in "
                          "FILE.rsb.p7m -recip cert.pem -inkey key.pem -out FILE.rsb")  # fmt: skip
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BundleError("damaged", "This is not a complete bundle: the file is damaged or was "
                          "cut short (was the copy finished?).") from None  # fmt: skip
    with archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        unsafe = [n for n in names if not _safe_name(n)]
        if unsafe:
            raise BundleError("unsafe_path", f"The bundle contains a path that would leave its "
                              f"folder or is hidden: {unsafe[0]!r}. Do not unpack it.")  # fmt: skip
        if len(set(names)) != len(names):
            raise BundleError("duplicate", "The bundle contains the same file name twice.")
        if sum(i.file_size for i in infos) > MAX_TOTAL:
            raise BundleError("too_large", "The bundle is far larger than any referral.")
        for info in infos:
            if info.flag_bits & 0x41:  # bit 0 encrypted, bit 6 strong encryption
                raise BundleError("unsupported", f"{info.filename} inside the bundle is "
                                  "encrypted with a zip password; Resettle never makes such "
                                  "bundles and cannot read it.")  # fmt: skip
            if info.flag_bits & 0x20:  # bit 5: compressed patched data
                raise BundleError("unsupported", f"{info.filename} inside the bundle is stored "
                                  "as a zip 'patch', which Resettle never makes and cannot "
                                  "read.")  # fmt: skip
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise BundleError("unsupported", f"{info.filename} inside the bundle is "
                                  f"compressed in a way Resettle does not read (method "
                                  f"{info.compress_type}); bundles are stored or "
                                  "deflated.")  # fmt: skip
        members: dict[str, bytes] = {}
        try:
            for info in infos:
                members[info.filename] = archive.read(info)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
            raise BundleError("damaged", f"The bundle is damaged ({type(exc).__name__}): a "
                              "file inside it cannot be read.") from None  # fmt: skip
    return members


def _issued_by(certificate: x509.Certificate, anchor: x509.Certificate) -> bool:
    if certificate == anchor:
        return True
    if certificate.issuer != anchor.subject:
        return False
    key = anchor.public_key()
    if not isinstance(key, rsa.RSAPublicKey) or certificate.signature_hash_algorithm is None:
        return False
    try:
        key.verify(certificate.signature, certificate.tbs_certificate_bytes, padding.PKCS1v15(),
                   certificate.signature_hash_algorithm)  # fmt: skip
    except InvalidSignature:
        return False
    return True


def verify(data: bytes, *, trust: x509.Certificate | None = None,
           payload_check: Callable[[dict, dict[str, bytes]], list[str]] | None = None,
           ) -> VerifiedBundle:  # fmt: skip
    """Check everything a recipient must be able to rely on; BundleError at the first problem."""
    members = read_members(data)
    if MANIFEST not in members:
        raise BundleError("missing_manifest", "manifest.json is missing from the bundle.")
    if SIGNATURE not in members:
        raise BundleError("missing_signature", "The signature (manifest.json.p7s) is missing.")
    try:
        manifest = load_json(members[MANIFEST], MANIFEST, "bad_manifest")
        listed = {m["name"]: m for m in manifest["members"]}
        version = manifest["schema_version"]
    except (ValueError, KeyError, TypeError):
        raise BundleError("bad_manifest", "manifest.json cannot be read as a Resettle "
                          "manifest.") from None  # fmt: skip
    if version != SCHEMA_VERSION:
        raise BundleError("unknown_schema", f"This bundle uses schema version {version!r}; this "
                          f"Resettle reads version {SCHEMA_VERSION}. Update Resettle.")  # fmt: skip
    try:
        signed = cms.verify_detached(members[SIGNATURE], members[MANIFEST])
    except cms.SignatureProblem as exc:
        raise BundleError("bad_signature", str(exc)) from None
    signer = members.get(SIGNER)
    if signer is not None:
        try:
            carried = x509.load_pem_x509_certificate(signer)
        except ValueError:
            raise BundleError("signer_mismatch", "signer.pem is damaged: it is not a "
                              "certificate.") from None  # fmt: skip
        if carried != signed.certificate:
            raise BundleError("signer_mismatch", "signer.pem is not the certificate that made "
                              "the signature.")  # fmt: skip
    if manifest.get("signer_fingerprint_sha256") != fingerprint(signed.certificate):
        raise BundleError("signer_mismatch", "The manifest names a different signing "
                          "certificate from the one that signed it.")  # fmt: skip
    present = set(members) - {MANIFEST, SIGNATURE}
    added = sorted(present - set(listed))
    if added:
        raise BundleError("member_added", f"{added[0]} was added to the bundle after it was "
                          "signed.")  # fmt: skip
    missing = sorted(set(listed) - present)
    if missing:
        raise BundleError("member_missing", f"{missing[0]} is listed in the manifest but missing "
                          "from the bundle.")  # fmt: skip
    for name, entry in listed.items():
        body = members[name]
        if len(body) != entry.get("size") or _sha256(body) != entry.get("sha256"):
            raise BundleError("member_changed", f"{name} has been changed since the bundle was "
                              "signed.")  # fmt: skip
    if SUMS in members:
        expected = sums_text({n: members[n] for n in listed if n != SUMS})
        if members[SUMS] != expected:
            raise BundleError("sums_mismatch", "SHA256SUMS does not match the bundle's files.")
    if trust is not None and not _issued_by(signed.certificate, trust):
        raise BundleError("untrusted", "The bundle was signed with a certificate you did not "
                          f"say to trust (fingerprint {fingerprint(signed.certificate)}).")
    if payload_check is not None:
        problems = payload_check(manifest, members)
        if problems:
            raise BundleError("schema_invalid", problems[0])
    return VerifiedBundle(manifest, members, signed.certificate, signed.signing_time)
