"""Audience files for Google Ads Customer Match and Meta Custom Audiences.

Personal data leaves Tradewinds only normalised and SHA-256 hashed, and only for
customers whose consent flag allows marketing. Layouts:

* Google Ads Customer Match (customer list upload): header
  ``Email,Phone,First Name,Last Name,Country,Zip``. Email, phone and names are hashed
  (email trimmed and lower-cased; phone in E.164 with "+"; names lower-cased and
  trimmed); Country (ISO 3166-1 alpha-2) and Zip are sent in clear, as Google requires.
* Meta Custom Audiences (customer list file): header ``email,phone,fn,ln,ct,st,zip,country``,
  every value normalised per Meta's rules (email lower-case; phone digits only with the
  country code, no "+"; names/city lower-case letters only; state 2-letter code for the US;
  zip lower-case without spaces, first 5 digits in the US; country 2-letter lower-case)
  and then hashed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import phonenumbers

Platform = Literal["google", "meta"]

GOOGLE_HEADER = ("Email", "Phone", "First Name", "Last Name", "Country", "Zip")
META_HEADER = ("email", "phone", "fn", "ln", "ct", "st", "zip", "country")

_COUNTRY_NAMES = {
    # names that appear in storefront exports instead of ISO codes
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "eire": "IE",
    "ireland": "IE",
    "germany": "DE",
    "france": "FR",
    "spain": "ES",
    "italy": "IT",
    "netherlands": "NL",
    "belgium": "BE",
    "switzerland": "CH",
    "austria": "AT",
    "portugal": "PT",
    "norway": "NO",
    "sweden": "SE",
    "denmark": "DK",
    "finland": "FI",
    "poland": "PL",
    "australia": "AU",
    "japan": "JP",
    "china": "CN",
    "usa": "US",
    "united states": "US",
    "canada": "CA",
    "brazil": "BR",
    "singapore": "SG",
    "israel": "IL",
    "greece": "GR",
    "cyprus": "CY",
    "iceland": "IS",
    "lithuania": "LT",
    "malta": "MT",
    "czech republic": "CZ",
    "united arab emirates": "AE",
    "saudi arabia": "SA",
    "lebanon": "LB",
    "bahrain": "BH",
    "south africa": "ZA",
    "rsa": "ZA",
    "hong kong": "HK",
    "korea": "KR",
    "south korea": "KR",
}


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def country_code(value: str | None) -> str:
    """ISO 3166-1 alpha-2 (upper case) from a code or a common country name; '' if unknown."""
    if not value or not isinstance(value, str):
        return ""
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    return _COUNTRY_NAMES.get(text.casefold(), "")


def normalise_email(value: str | None) -> str:
    if not value or not isinstance(value, str):
        return ""
    email = value.strip().lower()
    return email if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email) else ""


def normalise_phone(value: str | None, *, country: str = "") -> str:
    """E.164 ("+4915112345678"), or '' when the number is not valid for its country."""
    if not value or not isinstance(value, str):
        return ""
    try:
        parsed = phonenumbers.parse(value, country_code(country) or None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _letters(value: str | None) -> str:
    """Lower-case, accents kept as UTF-8 letters, punctuation and spaces removed (Meta)."""
    if not value or not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFC", value.strip().lower())
    return "".join(ch for ch in text if ch.isalpha())


def _name_google(value: str | None) -> str:
    if not value or not isinstance(value, str):
        return ""
    return value.strip().lower()


def _zip_meta(value: str | None, country: str) -> str:
    if not value or not isinstance(value, str):
        return ""
    text = re.sub(r"[\s\-]", "", value.strip().lower())
    if country == "US":
        text = text[:5]
    return text


def _hash_or_blank(value: str) -> str:
    return sha256(value) if value else ""


@dataclass(frozen=True)
class ExportResult:
    platform: Platform
    csv_text: str
    rows: int
    skipped_no_consent: int
    skipped_no_identifier: int


def consenting(customers: pd.DataFrame) -> pd.DataFrame:
    """Only customers whose ``accepts_marketing`` flag is true (missing = no consent)."""
    flag = customers["accepts_marketing"]
    allowed = flag.map(
        lambda v: v is True or (isinstance(v, str) and v.lower() in {"true", "yes", "1"}) or v == 1
    )
    return customers[allowed.fillna(False).astype(bool)]


def _rows(customers: pd.DataFrame, platform: Platform) -> Iterable[tuple[str, ...]]:
    get = customers.get
    n = len(customers)
    cols = {
        c: (get(c) if get(c) is not None else pd.Series([None] * n, index=customers.index))
        for c in (
            "email",
            "phone",
            "first_name",
            "last_name",
            "city",
            "region",
            "postal_code",
            "country",
        )
    }
    for i in range(n):
        country = country_code(cols["country"].iloc[i])
        email = normalise_email(cols["email"].iloc[i])
        phone = normalise_phone(cols["phone"].iloc[i], country=country)
        if not email and not phone:
            yield ()
            continue
        if platform == "google":
            yield (
                _hash_or_blank(email),
                _hash_or_blank(phone),
                _hash_or_blank(_name_google(cols["first_name"].iloc[i])),
                _hash_or_blank(_name_google(cols["last_name"].iloc[i])),
                country,
                (cols["postal_code"].iloc[i] or "").strip()
                if isinstance(cols["postal_code"].iloc[i], str)
                else "",
            )
        else:
            region = _letters(cols["region"].iloc[i])
            if country == "US":
                region = region[:2]
            yield (
                _hash_or_blank(email),
                _hash_or_blank(phone.lstrip("+")),
                _hash_or_blank(_letters(cols["first_name"].iloc[i])),
                _hash_or_blank(_letters(cols["last_name"].iloc[i])),
                _hash_or_blank(_letters(cols["city"].iloc[i])),
                _hash_or_blank(region),
                _hash_or_blank(_zip_meta(cols["postal_code"].iloc[i], country)),
                _hash_or_blank(country.lower()),
            )


def build_export(customers: pd.DataFrame, *, platform: Platform) -> ExportResult:
    """CSV text for the platform from a table with customer_pii columns + accepts_marketing."""
    if platform not in ("google", "meta"):
        raise ValueError(f"unknown platform {platform!r}; use google or meta")
    allowed = consenting(customers)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(GOOGLE_HEADER if platform == "google" else META_HEADER)
    written = missing = 0
    for row in _rows(allowed, platform):
        if not row:
            missing += 1
            continue
        writer.writerow(row)
        written += 1
    return ExportResult(
        platform, buffer.getvalue(), written, len(customers) - len(allowed), missing
    )
