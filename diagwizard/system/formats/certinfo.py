"""Read what matters about a card certificate, with ``cryptography``.

``analyse`` never raises for bad input: a certificate that does not parse (including
one whose extensions ``cryptography`` rejects, e.g. a duplicated extension) gives
``CertInfo(ok=False, problem=...)``. Real cards hold their CA chain beside the user's
certificates (DOMAIN.md), so each certificate is either ``chain`` or ``user``. Which CA
(and generation) issued it comes from the KB: by key identifier first, then by name.

``analyse`` is :func:`read` (the certificate alone, ``cryptography`` only) then
:func:`place` (the KB's CA table). The PKCS#11 child runs only ``read``; the parent, which
has the KB loaded, places the result.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from kb.components import Components

OID_SDA = "2.5.29.9"
OID_ID_LAST4 = "2.16.886.1.100.2.51"
OID_CARD_ROLE = "2.16.886.1.100.2.2"
# Subject Directory Attributes that are not personal (OID or rank values).
PUBLIC_SDA = ("2.16.886.1.100.2.1", "2.16.886.1.100.2.2", "2.16.886.1.100.2.102")
SIGN_IDS = {"5349474e": "sign", "4b455958": "encrypt"}  # CKA_ID "SIGN" / "KEYX"


class CertInfo(msgspec.Struct):
    ok: bool
    problem: str = ""
    subject: str = ""
    subject_cn: str = ""
    issuer: str = ""
    issuer_cn: str = ""
    ca: str = ""  # issuing CA: MOICA, MOEACA, GCA, XCA, GRCA, or "" (not a government CA)
    generation: str = ""
    role: str = "user"  # user | chain (BasicConstraints CA or keyCertSign)
    subject_ca: str = ""  # for chain certificates: which CA this certificate is
    subject_generation: str = ""
    attributes: dict[str, str] = msgspec.field(default_factory=dict)  # public SDA values
    serial: str = ""
    not_before: str = ""
    not_after: str = ""
    validity: str = ""  # valid | expired | not_yet_valid | expiring
    days_left: int = 0
    key_usage: list[str] = msgspec.field(default_factory=list)
    eku: list[str] = msgspec.field(default_factory=list)
    purpose: str = ""  # sign | encrypt | ""
    card_role: str = ""  # primary | secondary | "" (unknown)
    id_last4: str = ""
    # What :func:`place` reads (public CA facts, never shown on their own):
    issuer_key_id: str = ""  # hex of the Authority Key Identifier
    own_key_id: str = ""  # hex of a chain certificate's Subject Key Identifier
    issuer_names: list[str] = msgspec.field(default_factory=list)  # issuer OU, CN, then O values
    self_issued: bool = False


def _rdn_values(name: object, oid: object) -> list[str]:
    return [str(a.value) for a in name.get_attributes_for_oid(oid)]  # type: ignore[attr-defined]


def _sda_values(cert: object) -> dict[str, str]:
    """Subject Directory Attributes per attribute OID; OID values as dotted text."""
    from cryptography import x509  # lazy: heavy library only the certificate probes use

    try:
        ext = cert.extensions.get_extension_for_oid(x509.ObjectIdentifier(OID_SDA))  # type: ignore[attr-defined]
    except x509.ExtensionNotFound:
        return {}
    return _parse_sda(ext.value.value)


def _parse_sda(der: bytes) -> dict[str, str]:
    """Minimal DER walk: SEQUENCE OF SEQUENCE { OID, SET OF value }."""
    out: dict[str, str] = {}

    def read(buf: bytes, pos: int) -> tuple[int, bytes, int]:
        tag = buf[pos]
        length = buf[pos + 1]
        pos += 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(buf[pos : pos + n], "big")
            pos += n
        return tag, buf[pos : pos + length], pos + length

    try:
        _, seq, _ = read(der, 0)
        pos = 0
        while pos < len(seq):
            _, attr, pos = read(seq, pos)
            _, oid_raw, apos = read(attr, 0)
            _, values, _ = read(attr, apos)
            tag, value, _ = read(values, 0) if values else (0, b"", 0)
            text = _oid_text(value) if tag == 0x06 else value.decode("utf-8", "replace")
            out[_oid_text(oid_raw)] = text
    except (IndexError, ValueError):
        return out
    return out


def _oid_text(raw: bytes) -> str:
    if not raw:
        return ""
    parts = [raw[0] // 40, raw[0] % 40]
    value = 0
    for b in raw[1:]:
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            parts.append(value)
            value = 0
    return ".".join(str(p) for p in parts)


def analyse(
    der_b64: str, *, cka_id_hex: str = "", now: dt.datetime | None = None, warn_days: int = 30
) -> CertInfo:
    """Everything known about one certificate: :func:`read`, then :func:`place`."""
    from kb.components import components  # lazy: the PKCS#11 child never needs it

    return place(read(der_b64, cka_id_hex=cka_id_hex, now=now, warn_days=warn_days), components())


def read(
    der_b64: str, *, cka_id_hex: str = "", now: dt.datetime | None = None, warn_days: int = 30
) -> CertInfo:
    """What the certificate itself says; ``ca`` and generations stay empty."""
    from cryptography import x509  # lazy: heavy library only the certificate probes use
    from cryptography.x509.oid import NameOID  # lazy: as above

    try:
        der = base64.b64decode(der_b64, validate=True)
        cert = x509.load_der_x509_certificate(der)
        subject, issuer = cert.subject, cert.issuer
        cert.extensions  # noqa: B018 - parse them now: a rejected extension is this cert's problem
        info = CertInfo(
            ok=True,
            subject=subject.rfc4514_string(),
            subject_cn=", ".join(_rdn_values(subject, NameOID.COMMON_NAME)),
            issuer=issuer.rfc4514_string(),
            issuer_cn=", ".join(_rdn_values(issuer, NameOID.COMMON_NAME)),
            serial=f"{cert.serial_number:X}",
        )
        not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
        _fill(info, cert, cka_id_hex)
    except Exception as exc:  # any malformed input: base64, DER, extensions, field encodings
        return CertInfo(ok=False, problem=f"{type(exc).__name__}: {exc}"[:200])

    now = now or dt.datetime.now(dt.UTC)
    info.not_before, info.not_after = not_before.isoformat(), not_after.isoformat()
    info.days_left = (not_after - now).days
    if now < not_before:
        info.validity = "not_yet_valid"
    elif now > not_after:
        info.validity = "expired"
    elif not_after - now <= dt.timedelta(days=warn_days):
        info.validity = "expiring"
    else:
        info.validity = "valid"
    return info


def _ext(cert: Any, cls: type) -> Any:
    from cryptography import x509  # lazy: heavy library only the certificate probes use

    try:
        return cert.extensions.get_extension_for_class(cls).value
    except x509.ExtensionNotFound:
        return None


def place(info: CertInfo, comps: Components) -> CertInfo:
    """Set the issuing CA and generation (and a chain certificate's own) from the KB."""
    if not info.ok:
        return info
    if info.role == "chain":
        own = comps.ca_by_key_id(bytes.fromhex(info.own_key_id))
        if own is not None:
            info.subject_ca, info.subject_generation = own[0].id, own[1]
    by_key = comps.ca_by_key_id(bytes.fromhex(info.issuer_key_id))
    if by_key is not None:
        info.ca, info.generation = by_key[0].id, by_key[1]
    else:
        ca = comps.ca_for(info.issuer_names)
        info.ca = ca.id if ca is not None else ""
    if info.role == "chain" and info.subject_ca and info.self_issued:
        info.ca, info.generation = info.subject_ca, info.subject_generation  # a root
    return info


def _fill(info: CertInfo, cert: Any, cka_id_hex: str) -> None:
    """Role, what places the issuing CA, key usage, purpose and directory attributes."""
    from cryptography import x509  # lazy: heavy library only the certificate probes use
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # lazy: as above

    bc, ku = _ext(cert, x509.BasicConstraints), _ext(cert, x509.KeyUsage)
    if (bc is not None and bc.ca) or (ku is not None and ku.key_cert_sign):
        info.role = "chain"
        ski = _ext(cert, x509.SubjectKeyIdentifier)
        info.own_key_id = ski.digest.hex() if ski is not None else ""
    aki = _ext(cert, x509.AuthorityKeyIdentifier)
    info.issuer_key_id = ((aki.key_identifier if aki is not None else None) or b"").hex()
    info.issuer_names = (
        _rdn_values(cert.issuer, NameOID.ORGANIZATIONAL_UNIT_NAME)
        + _rdn_values(cert.issuer, NameOID.COMMON_NAME)
        + _rdn_values(cert.issuer, NameOID.ORGANIZATION_NAME)
    )
    info.self_issued = cert.issuer == cert.subject
    if ku is not None:
        for name in (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
        ):
            if getattr(ku, name):
                info.key_usage.append(name)
    eku = _ext(cert, x509.ExtendedKeyUsage)
    if eku is not None:
        names = {
            ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth",
            ExtendedKeyUsageOID.EMAIL_PROTECTION: "emailProtection",
        }
        info.eku = [names.get(o, o.dotted_string) for o in eku]
    info.purpose = SIGN_IDS.get(cka_id_hex.lower(), "") if info.role == "user" else ""
    if not info.purpose and info.role == "user":
        if "key_encipherment" in info.key_usage and "digital_signature" not in info.key_usage:
            info.purpose = "encrypt"
        elif "digital_signature" in info.key_usage:
            info.purpose = "sign"
    sda = _sda_values(cert)
    info.id_last4 = sda.get(OID_ID_LAST4, "")
    info.attributes = {k: v for k, v in sda.items() if k in PUBLIC_SDA}
    role = sda.get(OID_CARD_ROLE, "").strip().lower()
    if role:
        info.card_role = "secondary" if role in ("2", "secondary", "附卡", "副卡") else "primary"


def label(ca: str, generation: str) -> str:
    """ "MOICA G3", "GRCA", or "" """
    return f"{ca} {generation}".strip()


def public_view(info: CertInfo) -> dict[str, object]:
    """What may leave the machine about one certificate (no names, serials or ID digits)."""
    return {
        "role": info.role,
        "ca": info.ca,
        "generation": info.generation,
        "subject_ca": info.subject_ca,
        "subject_generation": info.subject_generation,
        "issuer": info.issuer_cn or info.issuer,
        "purpose": info.purpose,
        "card_role": info.card_role,
        "attributes": info.attributes,
        "validity": info.validity,
        "not_before": info.not_before,
        "not_after": info.not_after,
        "key_usage": info.key_usage,
        "eku": info.eku,
    }
