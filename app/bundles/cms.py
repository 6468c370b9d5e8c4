"""CMS (PKCS #7) signatures and encryption, in the forms `openssl cms` reads.

Signing: a detached SignedData (DER) over the exact bytes of manifest.json, SHA-256 with RSA,
the signer's certificate included, signed attributes on (content type, message digest, signing
time). Verifying is done here too, so a recipient with Resettle needs no OpenSSL: the SignedData
is parsed with asn1crypto and the signature checked with `cryptography`, following RFC 5652
section 5.4: the message digest attribute must equal SHA-256 of the content, and the signature
is over the DER encoding of the signed attributes as a SET.

Encryption: EnvelopedData with AES-256-CBC to one recipient certificate (RSA key transport),
which `openssl cms -decrypt` opens.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.serialization import pkcs7


class SignatureProblem(Exception):
    """The signature does not prove what it should; the message says what is wrong."""


@dataclass(frozen=True)
class Signed:
    certificate: x509.Certificate
    signing_time: datetime | None


def sign_detached(content: bytes, certificate: x509.Certificate,
                  key: rsa.RSAPrivateKey) -> bytes:  # fmt: skip
    """A detached CMS signature (DER) over content."""
    return (pkcs7.PKCS7SignatureBuilder().set_data(content)
            .add_signer(certificate, key, hashes.SHA256())
            .sign(serialization.Encoding.DER,
                  [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]))  # fmt: skip


def verify_detached(signature: bytes, content: bytes) -> Signed:
    """Check a detached signature over content; returns the signer's certificate.

    Raises SignatureProblem when the signature is not CMS, does not cover this content, or was
    not made by the key of the certificate it carries.
    """
    from asn1crypto import cms as acms

    try:
        info = acms.ContentInfo.load(signature)
        if info["content_type"].native != "signed_data":
            raise SignatureProblem("The signature file is not a CMS signature.")
        signed = info["content"]
        signers = list(signed["signer_infos"])
        certificates = [c.chosen for c in signed["certificates"]] if signed["certificates"] \
            else []  # fmt: skip
    except SignatureProblem:
        raise
    except Exception:  # noqa: BLE001 - any parse failure means the same to the recipient
        raise SignatureProblem("The signature file is damaged or is not a CMS signature.") from None
    if len(signers) != 1 or not certificates:
        raise SignatureProblem("The signature must have exactly one signer and carry its "
                               "certificate.")  # fmt: skip
    signer = signers[0]
    sid = signer["sid"]
    chosen = None
    for candidate in certificates:
        if sid.name == "issuer_and_serial_number":
            if (candidate.issuer == sid.chosen["issuer"]
                    and candidate.serial_number == sid.chosen["serial_number"].native):
                chosen = candidate
        elif candidate.key_identifier == sid.chosen.native:
            chosen = candidate
    if chosen is None:
        raise SignatureProblem("The signature does not carry the certificate of its signer.")
    certificate = x509.load_der_x509_certificate(chosen.dump())
    digest_name = signer["digest_algorithm"]["algorithm"].native
    if digest_name != "sha256":
        raise SignatureProblem(f"The signature uses {digest_name}, not SHA-256.")
    attributes = signer["signed_attrs"]
    if not attributes:
        raise SignatureProblem("The signature has no signed attributes.")
    by_type = {}
    for attribute in attributes:
        values = attribute["values"]
        if len(values) == 0:  # RFC 5652: an attribute has at least one value
            raise SignatureProblem(f"The signature is damaged: its signed attribute "
                                   f"{attribute['type'].native} has no value.")  # fmt: skip
        try:
            by_type[attribute["type"].native] = values[0].native
        except ValueError:
            raise SignatureProblem("The signature is damaged: one of its signed attributes "
                                   "cannot be read.") from None  # fmt: skip
    if by_type.get("content_type") != "data":
        raise SignatureProblem("The signature is not over plain data.")
    if by_type.get("message_digest") != hashlib.sha256(content).digest():
        raise SignatureProblem("manifest.json is not the document that was signed: it has been "
                               "changed since.")  # fmt: skip
    to_check = attributes.untag().dump(force=True)  # DER of the attributes as a SET (RFC 5652)
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise SignatureProblem("Only RSA signatures are accepted.")
    try:
        public_key.verify(signer["signature"].native, to_check, padding.PKCS1v15(),
                          hashes.SHA256())  # fmt: skip
    except InvalidSignature:
        raise SignatureProblem("The signature was not made by the key of the certificate it "
                               "carries.") from None  # fmt: skip
    return Signed(certificate, by_type.get("signing_time"))


def encrypt_to(content: bytes, recipient: x509.Certificate) -> bytes:
    """CMS EnvelopedData (DER), AES-256, for the holder of the recipient certificate's key."""
    return (pkcs7.PKCS7EnvelopeBuilder().set_data(content).add_recipient(recipient)
            .set_content_encryption_algorithm(algorithms.AES256)
            .encrypt(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary]))  # fmt: skip


def decrypt(envelope: bytes, certificate: x509.Certificate, key: rsa.RSAPrivateKey) -> bytes:
    """Open EnvelopedData with the recipient's certificate and key (tests and transfers)."""
    return pkcs7.pkcs7_decrypt_der(envelope, certificate, key, [])
