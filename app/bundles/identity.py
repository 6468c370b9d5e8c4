"""The team's signing identity: an RSA-3072 key and an X.509 certificate naming the establishment.

Made at set-up (or on first export) as a self-signed certificate valid for ten years; an
administrator may instead import the organisation's own certificate and key (PKCS #12). The key
lives only inside the encrypted database (PKCS #8 PEM, unencrypted there because the database
is). Recipients check bundles against the certificate or its SHA-256 fingerprint, which the team
gives them by another route (the printed recipient guide).

The self-signed certificate is marked as a CA for itself only (path length 0), so `openssl cms
-verify -CAfile signer.pem` accepts it as the trust anchor; key usage allows signing only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

KEY_BITS = 3072
VALID_YEARS = 10


@dataclass(frozen=True)
class Identity:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())  # fmt: skip


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate, as `openssl x509 -fingerprint -sha256` prints it."""
    return ":".join(f"{b:02X}" for b in certificate.fingerprint(hashes.SHA256()))


def subject_text(certificate: x509.Certificate) -> str:
    """The certificate's subject the way a person reads it: "Name, Organisation"."""
    parts = [a.value for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME)
             for a in certificate.subject.get_attributes_for_oid(oid)]  # fmt: skip
    return ", ".join(str(p) for p in dict.fromkeys(parts)) or certificate.subject.rfc4514_string()


def generate(establishment: str, now: datetime | None = None) -> Identity:
    """A new key and self-signed certificate naming the establishment."""
    now = now or datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "Resettle signing key"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, establishment[:64]),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
    ])
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          key_cert_sign=True, crl_sign=False, encipher_only=False,
                          decipher_only=False)  # fmt: skip
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    return Identity(certificate, key)


class IdentityProblem(Exception):
    """An imported certificate or key cannot be used; the message says why, plainly."""


def from_pkcs12(data: bytes, password: str) -> Identity:
    """The organisation's certificate and key from a .p12/.pfx file."""
    try:
        key, certificate, _chain = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None)
    except ValueError:
        raise IdentityProblem("The file could not be opened: the password is wrong or it is not "
                              "a PKCS #12 (.p12 or .pfx) file.") from None  # fmt: skip
    if key is None or certificate is None:
        raise IdentityProblem("The file must hold both the certificate and its private key.")
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
        raise IdentityProblem("The key must be RSA of at least 2048 bits.")
    if certificate.public_key().public_numbers() != key.public_key().public_numbers():
        raise IdentityProblem("The key does not belong to the certificate.")
    if certificate.not_valid_after_utc < datetime.now(UTC):
        raise IdentityProblem("The certificate has expired.")
    return Identity(certificate, key)


def load(certificate_pem: bytes, key_pem: bytes) -> Identity:
    certificate = x509.load_pem_x509_certificate(certificate_pem)
    key = serialization.load_pem_private_key(key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise IdentityProblem("The stored signing key is not RSA.")
    return Identity(certificate, key)


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from PEM or DER bytes (a recipient's, or a trust anchor)."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise IdentityProblem("That file is not an X.509 certificate (PEM or DER).") from None
