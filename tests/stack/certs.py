"""A test PKI made with cryptography: a CA named like MOICA and card certificates full of
planted personal data (so redaction tests can look for it), plus the real public CA
certificates (``real_certs/``, copied from shared/reference/certs) and user certificates
shaped like real MOICA ones, whose AKI is the real MOICA G3 key id (we cannot sign with
the real CA key, so a test key signs them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

PLANTED_NAME = "王小明"
PLANTED_ID_LAST4 = "6789"
PLANTED_SERIAL = 0x5A17C0DE5A17C0DE
MOICA_G2_KEY_ID = bytes.fromhex("FA9B3467") + bytes(16)
MOICA_G3_KEY_ID = bytes.fromhex("4720A3B1264BCD6D48ACF2640886972C7454115F")
REAL_CERTS = Path(__file__).resolve().parent / "real_certs"
# A realistic MOICA holder: a two-character name, the DN serialNumber (16 digits, not the ID).
PLANTED_SHORT_NAME = "林安"
PLANTED_DN_SERIAL = "5566778899001122"
OID_CERT_TYPE_VALUE = "2.16.886.1.100.3.1.1"  # an OID value in SDA 2.16.886.1.100.2.1


def real_ca(name: str) -> bytes:
    """DER of a real CA certificate: GRCA-G1..G3, MOICA-G2/G3, MOEACA-G2/G3."""
    return (REAL_CERTS / f"{name}.der").read_bytes()


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


def subject_directory_attributes(values: dict[str, str | x509.ObjectIdentifier]) -> bytes:
    """SDA DER; a str value is a PrintableString, an ObjectIdentifier an OID value."""

    def value(v: str | x509.ObjectIdentifier) -> bytes:
        return (
            _oid(v.dotted_string)
            if isinstance(v, x509.ObjectIdentifier)
            else _tlv(0x13, v.encode())
        )

    attrs = b"".join(_tlv(0x30, _oid(oid) + _tlv(0x31, value(v))) for oid, v in values.items())
    return _tlv(0x30, attrs)


def _user_key_usage(*, sign: bool, encrypt: bool, data: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,
        key_encipherment=encrypt,
        data_encipherment=data,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


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
    sda: dict[str, str | x509.ObjectIdentifier] = {"2.16.886.1.100.2.51": PLANTED_ID_LAST4}
    if role:
        sda["2.16.886.1.100.2.2"] = role
    ku = _user_key_usage(sign=purpose == "sign", encrypt=purpose == "encrypt")
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


def make_moica_user_cert(
    *,
    name: str = PLANTED_SHORT_NAME,
    dn_serial: str = PLANTED_DN_SERIAL,
    aki: bytes = MOICA_G3_KEY_ID,
    purpose: str = "sign",
    serial: int = PLANTED_SERIAL,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> x509.Certificate:
    """A user certificate as a real MOICA card holds it: C=TW, CN=<name>,
    serialNumber=<16 digits>; SDA with the last 4 ID digits and an OID-valued attribute;
    issuer = the real MOICA CA's DN and AKI = its key id (signed by a test key)."""
    now = dt.datetime.now(dt.UTC)
    moica = x509.load_der_x509_certificate(real_ca("MOICA-G3"))
    sda: dict[str, str | x509.ObjectIdentifier] = {
        "2.16.886.1.100.2.1": x509.ObjectIdentifier(OID_CERT_TYPE_VALUE),
        "2.16.886.1.100.2.51": PLANTED_ID_LAST4,
    }
    ku = _user_key_usage(sign=purpose == "sign", encrypt=purpose != "sign", data=purpose != "sign")
    return (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
                    x509.NameAttribute(NameOID.COMMON_NAME, name),
                    x509.NameAttribute(NameOID.SERIAL_NUMBER, dn_serial),
                ]
            )
        )
        .issuer_name(moica.subject)
        .public_key(key(2).public_key())
        .serial_number(serial)
        .not_valid_before(not_before or now - dt.timedelta(days=100))
        .not_valid_after(not_after or now + dt.timedelta(days=1000))
        .add_extension(ku, critical=True)
        .add_extension(x509.AuthorityKeyIdentifier(aki, None, None), critical=False)
        .add_extension(
            x509.CertificatePolicies(
                [x509.PolicyInformation(x509.ObjectIdentifier("2.16.886.101.0.3.3"), None)]
            ),
            critical=False,
        )
        .add_extension(
            x509.UnrecognizedExtension(
                x509.ObjectIdentifier("2.5.29.9"), subject_directory_attributes(sda)
            ),
            critical=False,
        )
        .sign(key(1), hashes.SHA256())
    )


def duplicate_first_extension(cert_der: bytes) -> bytes:
    """The same certificate with its first extension repeated: DER that ``cryptography``
    rejects ("duplicate extension"), as some real cards' certificates are."""

    def split(buf: bytes) -> list[tuple[int, bytes]]:
        out, pos = [], 0
        while pos < len(buf):
            tag, length = buf[pos], buf[pos + 1]
            pos += 2
            if length & 0x80:
                n = length & 0x7F
                length = int.from_bytes(buf[pos : pos + n], "big")
                pos += n
            out.append((tag, buf[pos : pos + length]))
            pos += length
        return out

    def join(items: list[tuple[int, bytes]]) -> bytes:
        return b"".join(_tlv(t, v) for t, v in items)

    ((_, body),) = split(cert_der)
    tbs, *rest = split(body)
    fields = split(tbs[1])
    n = next(i for i, (t, _) in enumerate(fields) if t == 0xA3)
    ((_, exts),) = split(fields[n][1])
    items = split(exts)
    fields[n] = (0xA3, _tlv(0x30, join([items[0], *items])))
    return _tlv(0x30, join([(0x30, join(fields)), *rest]))


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)
