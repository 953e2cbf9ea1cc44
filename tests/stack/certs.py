"""A test PKI made with cryptography: a CA named like MOICA and card certificates full of
planted personal data (so redaction tests can look for it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

PLANTED_NAME = "王小明"
PLANTED_ID_LAST4 = "6789"
PLANTED_SERIAL = 0x5A17C0DE5A17C0DE
MOICA_G2_KEY_ID = bytes.fromhex("FA9B3467") + bytes(16)

_KEY_CACHE: dict[int, rsa.RSAPrivateKey] = {}


def key(n: int = 0) -> rsa.RSAPrivateKey:
    if n not in _KEY_CACHE:
        _KEY_CACHE[n] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _KEY_CACHE[n]


def ca_name(ou: str = "內政部憑證管理中心") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "行政院"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou),
        ]
    )


@dataclass
class TestCa:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def make_ca(ou: str = "內政部憑證管理中心", key_id: bytes = MOICA_G2_KEY_ID) -> TestCa:
    k = key(1)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name(ou))
        .issuer_name(ca_name(ou))
        .public_key(k.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=3650))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier(key_id), critical=False)
        .sign(k, hashes.SHA256())
    )
    return TestCa(cert, k)


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, value: bytes) -> bytes:
    return bytes([tag]) + _der_len(len(value)) + value


def _oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    out = bytes([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.insert(0, 0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(chunk)
    return _tlv(0x06, out)


def subject_directory_attributes(values: dict[str, str]) -> bytes:
    attrs = b"".join(
        _tlv(0x30, _oid(oid) + _tlv(0x31, _tlv(0x13, v.encode()))) for oid, v in values.items()
    )
    return _tlv(0x30, attrs)


def make_card_cert(
    ca: TestCa,
    *,
    name: str = PLANTED_NAME,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    serial: int = PLANTED_SERIAL,
    purpose: str = "sign",
    role: str = "",
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    sda = {"2.16.886.1.100.2.51": PLANTED_ID_LAST4}
    if role:
        sda["2.16.886.1.100.2.2"] = role
    ku = x509.KeyUsage(
        digital_signature=purpose == "sign",
        content_commitment=purpose == "sign",
        key_encipherment=purpose == "encrypt",
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
                    x509.NameAttribute(NameOID.COMMON_NAME, name),
                ]
            )
        )
        .issuer_name(ca.cert.subject)
        .public_key(key(2).public_key())
        .serial_number(serial)
        .not_valid_before(not_before or now - dt.timedelta(days=100))
        .not_valid_after(not_after or now + dt.timedelta(days=1000))
        .add_extension(ku, critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier(
                ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest,
                None,
                None,
            ),
            critical=False,
        )
        .add_extension(
            x509.UnrecognizedExtension(
                x509.ObjectIdentifier("2.5.29.9"), subject_directory_attributes(sda)
            ),
            critical=False,
        )
        .sign(ca.key, hashes.SHA256())
    )


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)
