"""Locale-aware numbers, dates, time zones and currency codes found in export files.

Every decision that depends on the locale is taken once for a whole column (or file), never
guessed row by row: ``1,234`` is one thousand two hundred and thirty-four in a file whose
other values read ``1,234.56`` and one point two three four in a file that says ``1.234,56``;
``03/04/2024`` is 3 April in a file that also holds ``25/04/2024``.

Scalar functions raise :class:`ParseError` with a reason a seller can read; the vectorised
ones (``*_column``) return the parsed values and a boolean mask of the rows that failed, so
importers can turn failures into ``RowError`` values without a Python loop per row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tradewinds.i18n_markers import Text
from tradewinds.ingest.spec import DECIMAL_SCALE, DECIMAL_TYPE, message_of

DecimalSep = Literal[".", ","]
DateOrder = Literal["dmy", "mdy", "ymd"]

#: spellings of "no value" seen in exports (Google Ads writes `` --``)
MISSING = frozenset({"", "-", "--", "—", "n/a", "N/A", "null", "NULL", "None", "nan", "NaN"})


class ParseError(ValueError):
    """A value that cannot be read; the message is the reason shown to the user."""


class MixedDateOrder(ParseError):
    """Dates that prove day-first order and others that prove month-first order.

    ``day_first`` and ``month_first`` are the positions (in the values given) of the first
    value proving each order, so the caller can name their rows."""

    def __init__(self, day_first: int, month_first: int, values: list[str]) -> None:
        super().__init__(Text("dates in this file mix day-first and month-first order"))
        self.day_first, self.month_first = day_first, month_first
        self.day_first_value = values[day_first].strip()
        self.month_first_value = values[month_first].strip()


# ------------------------------------------------------------------------- numbers

_SPACES = re.compile("[\\s\u00a0\u202f']")  # plain, no-break and narrow spaces, Swiss apostrophe


def _number_text(text: str) -> tuple[str, bool]:
    """Strip spaces, a trailing percent sign and accounting parentheses; return (text, negative)."""
    t = _SPACES.sub("", text)
    negative = False
    if t.startswith("(") and t.endswith(")"):
        t, negative = t[1:-1], True
    if t.endswith("%"):
        t = t[:-1]
    if t.startswith("-"):
        t, negative = t[1:], not negative
    elif t.startswith("+"):
        t = t[1:]
    return t, negative


def separator_evidence(text: str) -> DecimalSep | None:
    """Which decimal separator a single number proves, or None when it proves nothing."""
    t, _ = _number_text(text)
    has_dot, has_comma = "." in t, "," in t
    if has_dot and has_comma:
        return "." if t.rfind(".") > t.rfind(",") else ","
    for sep in (".", ","):
        if sep in t:
            if t.count(sep) > 1:
                return "," if sep == "." else "."  # repeated: it is the thousands separator
            digits_after = len(t) - t.index(sep) - 1
            if digits_after != 3 or t.startswith("0" + sep) or t.startswith(sep):
                return sep
    return None


def infer_decimal_separator(values: Iterable[str], default: DecimalSep = ".") -> DecimalSep:
    """Decide the decimal separator from every value of a file (majority of the evidence)."""
    votes = {".": 0, ",": 0}
    for v in values:
        if v is None:
            continue
        ev = separator_evidence(str(v))
        if ev:
            votes[ev] += 1
    if votes["."] == votes[","]:
        return default
    return "." if votes["."] > votes[","] else ","


def _plain_pattern(sep: DecimalSep) -> re.Pattern[str]:
    thousands = "," if sep == "." else r"\."
    dec = re.escape(sep)
    return re.compile(rf"(?:\d+|\d{{1,3}}(?:{thousands}\d{{3}})+)(?:{dec}\d*)?|{dec}\d+")


_PATTERNS = {".": _plain_pattern("."), ",": _plain_pattern(",")}


def parse_decimal(text: str, sep: DecimalSep = ".", *, percent: bool = False) -> Decimal | None:
    """``'1,234.56'`` -> ``Decimal('1234.56')``; missing markers give ``None``.

    With ``percent=True`` a value written ``6.20%`` becomes ``Decimal('0.062')``.
    """
    stripped = text.strip()
    if stripped in MISSING:
        return None
    t, negative = _number_text(stripped)
    if not _PATTERNS[sep].fullmatch(t):
        raise ParseError(
            Text(
                "%(value)s is not a number written with %(sep)s as decimal mark",
                value=repr(text.strip()),
                sep=repr(sep),
            )
        )
    thousands = "," if sep == "." else "."
    t = t.replace(thousands, "").replace(sep, ".")
    try:
        value = Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already rules this out
        raise ParseError(Text("%(value)s is not a number", value=repr(text))) from exc
    if negative:
        value = -value
    if percent or stripped.endswith("%"):
        value = value / 100
    return value


def parse_int(text: str, sep: DecimalSep = ".") -> int | None:
    value = parse_decimal(text, sep)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ParseError(Text("%(value)s is not a whole number", value=repr(text.strip())))
    return int(value)


#: digits allowed before the decimal mark: money is stored as DECIMAL(18,4)
MAX_AMOUNT_DIGITS = 14
#: digits allowed in a quantity (a line of a billion items is not an order)
MAX_QUANTITY_DIGITS = 9
_SCIENTIFIC = re.compile(r"^(?:\d+(?:[.,]\d*)?|[.,]\d+)[eE][-+]?\d{1,6}$")


def _shown(text: str) -> str:
    t = text.strip()
    return t if len(t) <= 40 else t[:40] + "…"


def number_problem(
    text: str,
    sep: DecimalSep = ".",
    *,
    what: str | None = None,
    max_digits: int = MAX_AMOUNT_DIGITS,
    whole: bool = False,
    scale: int = DECIMAL_SCALE,
) -> str:
    """Why ``text`` is not a usable number, in words (for a value already found bad).

    Too many digits before the decimal mark is "too large"; scientific notation
    (``1.5E+03``) is refused, because spreadsheets write it after rounding a number to six
    digits, so the amount would be wrong without anyone noticing; a number of that form
    beyond the limit is "too large" all the same.
    """
    t, _negative = _number_text(text.strip())
    shown = _shown(text)
    what = Text("the value") if what is None else what
    values = {"what": what, "value": shown}
    too_large = (
        Text(
            "%(what)s %(value)s is too large (at most %(digits)s digits)",
            digits=str(max_digits),
            **values,
        )
        if whole
        else Text(
            "%(what)s %(value)s is too large (at most %(digits)s digits before the decimal mark)",
            digits=str(max_digits),
            **values,
        )
    )
    if _SCIENTIFIC.fullmatch(t):
        try:
            value = abs(Decimal(t.replace(",", ".")))
        except InvalidOperation:  # pragma: no cover - the pattern rules this out
            value = Decimal(0)
        if value >= Decimal(10) ** max_digits:
            return too_large
        return Text(
            "%(what)s %(value)s is written in scientific notation; write the number out in "
            "full (a spreadsheet may have rounded it: format the column as a number and "
            "export again)",
            **values,
        )
    if _PATTERNS[sep].fullmatch(t):
        thousands = "," if sep == "." else "."
        integer, _, fraction = t.replace(thousands, "").partition(sep)
        if len(integer.lstrip("0")) > max_digits:
            return too_large
        if whole:
            return Text("%(what)s %(value)s is not a whole number", **values)
        if len(fraction.rstrip("0")) > scale:
            return Text(
                "%(what)s %(value)s has more than %(scale)s decimal places",
                scale=str(scale),
                **values,
            )
    if whole:
        return Text("%(value)s is not a whole number", value=repr(shown))
    return Text(
        "%(value)s is not an amount written with %(sep)s as decimal mark",
        value=repr(shown),
        sep=repr(sep),
    )


# --- vectorised numbers


def arrow_text(values: pd.Series) -> pa.Array:
    """A string column as an Arrow array (nulls for missing) for vectorised string work."""
    if isinstance(values.dtype, pd.ArrowDtype):
        return pc.cast(values.array._pa_array.combine_chunks(), pa.string())  # noqa: SLF001
    return pa.array(values.astype("object"), type=pa.string(), from_pandas=True)


def _int64_series(arr: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    """Arrow int64 -> pandas ``Int64`` without a round trip through Python objects."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    data = np.asarray(arr.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
    mask = np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    return pd.Series(pd.arrays.IntegerArray(data, mask), index=index)


def _bool(arr: pa.Array) -> np.ndarray:
    return np.asarray(arr.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def decimal_units_column(
    values: pd.Series, sep: DecimalSep = ".", *, scale: int = DECIMAL_SCALE
) -> tuple[pd.Series, pd.Series]:
    """Decimal strings -> exact integers in units of 10**-scale (``Int64``), and a bad mask.

    Integer units let importers add money up exactly with vectorised arithmetic. The work
    is done by Arrow's compute kernels (RE2 regular expressions), not a Python loop.
    """
    arr = arrow_text(values)
    factor = pa.scalar(Decimal(10**scale), type=pa.decimal128(scale + 1, 0))
    plain = r"^-?\d{1,14}(?:" + re.escape(sep) + r"\d{1," + str(scale) + r"})?$"
    if arr.null_count == 0 and len(arr) and pc.all(pc.match_substring_regex(arr, plain)).as_py():
        body = arr if sep == "." else pc.replace_substring(arr, ",", ".")
        dec = pc.cast(body, pa.decimal128(18 + scale, scale))
        units = pc.cast(pc.multiply(dec, factor), pa.int64())
        return _int64_series(units, values.index), pd.Series(
            np.zeros(len(arr), dtype=bool), index=values.index
        )
    t = pc.replace_substring_regex(arr, _SPACES.pattern, "")
    missing = pc.or_kleene(pc.is_null(t), pc.is_in(t, value_set=pa.array(sorted(MISSING))))
    paren = pc.and_(pc.starts_with(t, "("), pc.ends_with(t, ")"))
    body = pc.replace_substring_regex(t, r"^\(|\)$|%$", "")
    negative = pc.or_(paren, pc.starts_with(body, "-"))
    body = pc.replace_substring_regex(body, r"^[-+]", "")
    ok = pc.match_substring_regex(body, "^(?:" + _PATTERNS[sep].pattern + ")$")
    thousands = "," if sep == "." else "."
    body = pc.replace_substring(body, thousands, "")
    if sep == ",":
        body = pc.replace_substring(body, ",", ".")
    body = pc.replace_substring_regex(body, r"\.$", "")
    body = pc.replace_substring_regex(body, r"^\.", "0.")
    body = pc.replace_substring_regex(body, r"(\.\d*?)0+$", r"\1")
    body = pc.replace_substring_regex(body, r"\.$", "")
    too_precise = pc.match_substring_regex(body, r"\.\d{" + str(scale) + r"}\d")
    too_long = pc.match_substring_regex(body, r"^0*[1-9]\d{" + str(MAX_AMOUNT_DIGITS) + "}")
    good = pc.and_(pc.and_(ok, pc.invert(too_precise)), pc.invert(missing))
    good = pc.and_(good, pc.invert(too_long))
    good = good.fill_null(False)
    clean = pc.if_else(good, body, pa.scalar(None, pa.string()))
    dec = pc.cast(clean, pa.decimal128(18 + scale, scale))
    units = pc.cast(pc.multiply(dec, factor), pa.int64())
    units = pc.if_else(negative.fill_null(False), pc.negate(units), units)
    out = _int64_series(units, values.index)
    bad = ~_bool(good) & ~_bool(missing)
    return out, pd.Series(bad, index=values.index)


def units_to_decimal(units: pd.Series, *, scale: int = DECIMAL_SCALE) -> pd.Series:
    """``Int64`` units of 10**-scale -> an exact Arrow decimal column."""
    ints = pa.array(units.astype("Int64"), type=pa.int64(), from_pandas=True)
    dec = pc.cast(ints, pa.decimal128(19, 0))
    factor = pa.scalar(Decimal(1).scaleb(-scale), type=pa.decimal128(scale + 1, scale))
    dec = pc.multiply(dec, factor).cast(DECIMAL_TYPE)
    return pd.Series(pd.arrays.ArrowExtensionArray(dec), index=units.index)


def decimal_column(values: pd.Series, sep: DecimalSep = ".") -> tuple[pd.Series, pd.Series]:
    """Decimal strings -> exact Arrow decimal column and bad mask."""
    units, bad = decimal_units_column(values, sep)
    return units_to_decimal(units), bad


def int_column(values: pd.Series, sep: DecimalSep = ".") -> tuple[pd.Series, pd.Series]:
    """Whole-number strings (``"1,414,877"``, ``"6"``) -> ``Int64`` and bad mask."""
    units, bad = decimal_units_column(values, sep)
    whole = units % (10**DECIMAL_SCALE) == 0
    bad = bad | (units.notna() & ~whole.fillna(True))
    return (units // (10**DECIMAL_SCALE)).where(~bad, pd.NA).astype("Int64"), bad


# ------------------------------------------------------------------------- dates

_DATE_PARTS = re.compile(r"^\s*(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})")


def infer_date_order(values: Iterable[str], default: DateOrder = "dmy") -> DateOrder:
    """Decide day/month order from every date of a file.

    ``yyyy-mm-dd`` is always year-month-day. For ``a/b/yyyy`` a first part above 12 proves
    day-first and a second part above 12 proves month-first; a file with both is refused.
    When nothing proves either, ``default`` (from the format or the user) applies.
    """
    day_first = month_first = -1
    seen_ymd = seen_other = False
    texts = ["" if v is None else str(v) for v in values]
    for i, v in enumerate(texts):
        m = _DATE_PARTS.match(v)
        if not m:
            continue
        a, b, c = m.groups()
        if len(a) == 4:
            seen_ymd = True
            continue
        seen_other = True
        if int(a) > 12 and day_first < 0:
            day_first = i
        if int(b) > 12 and month_first < 0:
            month_first = i
        del c
    if day_first >= 0 and month_first >= 0:
        raise MixedDateOrder(day_first, month_first, texts)
    if seen_ymd and not seen_other:
        return "ymd"
    if day_first >= 0:
        return "dmy"
    if month_first >= 0:
        return "mdy"
    return default


_ORDER_LABEL = {"dmy": "DD/MM/YYYY", "mdy": "MM/DD/YYYY", "ymd": "YYYY-MM-DD"}


def parse_date(text: str, order: DateOrder) -> dt.date | None:
    """Parse a date in the given order; impossible dates are named as such."""
    t = text.strip()
    if t in MISSING:
        return None
    m = _DATE_PARTS.match(t)
    if not m:
        raise ParseError(_not_a_date(t, order))
    a, b, c = (int(x) for x in m.groups())
    if order == "ymd":
        y, mo, d = a, b, c
    elif order == "dmy":
        d, mo, y = a, b, c
    else:
        mo, d, y = a, b, c
    if y < 100:
        y += 2000
    date_text = m.group(0).strip()
    if not 1 <= mo <= 12:
        raise ParseError(
            Text(
                "the date %(date)s has no month %(month)s (%(order)s)",
                date=date_text,
                month=str(mo),
                order=_ORDER_LABEL[order],
            )
        )
    try:
        return dt.date(y, mo, d)
    except ValueError as exc:
        raise ParseError(Text("the date %(date)s does not exist", date=date_text)) from exc


def _not_a_date(text: str, order: DateOrder) -> Text:
    return Text(
        "%(value)s is not a date like %(order)s", value=repr(text), order=_ORDER_LABEL[order]
    )


_MONTH_NAME_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y")


def parse_month_name_date(text: str) -> dt.date:
    """``May 18, 2025`` (as in Google Ads date-range lines) -> date."""
    t = text.strip()
    for fmt in _MONTH_NAME_FORMATS:
        try:
            return dt.datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise ParseError(Text("%(value)s is not a date like 'May 18, 2025'", value=repr(t)))


def date_column(values: pd.Series, order: DateOrder) -> tuple[pd.Series, pd.Series, list[str]]:
    """Date strings -> ``datetime64`` (midnight), bad mask, and a reason per bad row."""
    s = values.astype("object").where(values.notna(), "").astype(str).str.strip()
    missing = s.isin(MISSING)
    parts = s.str.extract(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})")
    names = {"ymd": (0, 1, 2), "dmy": (2, 1, 0), "mdy": (2, 0, 1)}[order]
    y = pd.to_numeric(parts[names[0]], errors="coerce")
    y = y.where(y >= 100, y + 2000)
    frame = pd.DataFrame(
        {
            "year": y,
            "month": pd.to_numeric(parts[names[1]], errors="coerce"),
            "day": pd.to_numeric(parts[names[2]], errors="coerce"),
        }
    )
    parsed = pd.to_datetime(frame, errors="coerce")
    bad = parsed.isna() & ~missing
    reasons = []
    for text in s[bad]:
        try:
            parse_date(text, order)
            reasons.append(_not_a_date(text, order))
        except ParseError as exc:
            reasons.append(message_of(exc))
    return parsed, bad, reasons


# ------------------------------------------------------------------------- time zones


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ParseError(Text("unknown time zone %(zone)s", zone=repr(name))) from exc


def to_utc(value: dt.datetime, default_zone: str = "UTC") -> dt.datetime:
    """Aware datetimes are converted; naive ones are read in ``default_zone``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(default_zone))
    return value.astimezone(dt.UTC)


def timestamp_column(
    values: pd.Series,
    *,
    fmt: str | None = None,
    default_zone: str = "UTC",
    order: DateOrder | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Timestamp strings -> ``datetime64[us, UTC]`` and bad mask.

    Values with an offset (``2022-04-06 21:52:40 -0400``, ``...T08:04:21+00:00``) keep it;
    values without one are local times in ``default_zone`` (daylight-saving gaps move
    forward, repeated hours are rejected as ambiguous). ``order`` reads day-first or
    month-first ``dd/mm/yyyy hh:mm[:ss]`` values.
    """
    t = pc.utf8_trim_whitespace(arrow_text(values))
    missing_arr = pc.or_kleene(pc.is_null(t), pc.is_in(t, value_set=pa.array(sorted(MISSING))))
    missing = pd.Series(_bool(missing_arr), index=values.index)
    s = pd.Series(
        pc.if_else(missing_arr, pa.scalar(None, pa.string()), t).to_pandas(),
        index=values.index,
        dtype="object",
    )
    if fmt is None and order is None:
        fast = _naive_iso(t, missing_arr, default_zone)
        if fast is not None:
            fast.index = values.index
            return fast, fast.isna() & ~missing
    if fmt is None and order in ("dmy", "mdy"):
        base = "%d/%m/%Y" if order == "dmy" else "%m/%d/%Y"
        s = s.str.replace(r"[.-]", "/", n=2, regex=True)
        colons = s.str.count(":").fillna(0)
        parsed = pd.to_datetime(s.where(colons == 0), format=base, errors="coerce")
        for n, suffix in ((1, " %H:%M"), (2, " %H:%M:%S")):
            part = pd.to_datetime(s.where(colons == n), format=base + suffix, errors="coerce")
            parsed = parsed.where(colons != n, part)
        parsed = _localise(parsed, default_zone)
    else:
        zoned = pc.match_substring_regex(t, r"(?:[+-]\d{2}:?\d{2}|Z|UTC|GMT)$")
        has_zone = pd.Series(_bool(zoned), index=values.index)
        naive = pd.to_datetime(s.where(~has_zone), format=fmt or "ISO8601", errors="coerce")
        parsed = _localise(naive, default_zone)
        if has_zone.any():
            parsed = parsed.where(~has_zone, _aware(s.where(has_zone), fmt))
    bad = parsed.isna() & ~missing
    return parsed.astype("datetime64[us, UTC]"), bad


def _naive_iso(t: pa.Array, missing: pa.Array, zone_name: str) -> pd.Series | None:
    """Arrow fast path for columns of ``YYYY-MM-DD HH:MM[:SS]`` local times (None: not one)."""
    shape = pc.match_substring_regex(t, r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?$")
    if len(t) == 0 or not pc.all(pc.or_kleene(shape, missing)).as_py():
        return None
    text = t
    if pc.any(pc.match_substring(text, "T")).as_py():
        text = pc.replace_substring(text, "T", " ")
    if pc.any(pc.equal(pc.utf8_length(text), 16)).as_py():
        text = pc.replace_substring_regex(text, r"^(.{16})$", r"\1:00")
    stamps = pc.strptime(text, format="%Y-%m-%d %H:%M:%S", unit="us", error_is_null=True)
    # strptime rolls 2011-02-30 over to 2011-03-02: keep only days that read back the same
    same = pc.equal(pc.day(stamps), pc.cast(pc.utf8_slice_codeunits(text, 8, 10), pa.int64()))
    stamps = pc.if_else(same.fill_null(False), stamps, pa.scalar(None, stamps.type))
    zone(zone_name)
    try:
        stamps = pc.assume_timezone(
            stamps, timezone=zone_name, ambiguous="raise", nonexistent="latest"
        )
    except pa.ArrowInvalid:  # a repeated hour: the slower path rejects just those rows
        return None
    stamps = pc.cast(stamps, pa.timestamp("us", tz="UTC"))
    return pd.Series(stamps.to_pandas()).astype("datetime64[us, UTC]")


def _aware(s: pd.Series, fmt: str | None) -> pd.Series:
    out = pd.to_datetime(s, format=fmt or "ISO8601", errors="coerce", utc=True)
    retry = out.isna() & s.notna()
    if retry.any():  # "2022-04-06 21:52:40 -0400"
        alt = pd.to_datetime(s[retry], format="%Y-%m-%d %H:%M:%S %z", errors="coerce", utc=True)
        out = out.copy()
        out[retry] = alt
    return out


def _localise(naive: pd.Series, zone_name: str) -> pd.Series:
    zone(zone_name)
    if getattr(naive.dt, "tz", None) is not None:
        return naive.dt.tz_convert("UTC")
    return naive.dt.tz_localize(
        zone_name, ambiguous="NaT", nonexistent="shift_forward"
    ).dt.tz_convert("UTC")


# ------------------------------------------------------------------------- currencies


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes (from the CLDR data shipped with Babel)."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def validate_currency(code: str) -> str:
    c = code.strip().upper()
    if c not in currency_codes() or len(c) != 3:
        raise ParseError(Text("%(code)s is not an ISO 4217 currency code", code=repr(code.strip())))
    return c


_SYMBOLS = {
    "$": None,
    "€": "EUR",
    "£": "GBP",
    "¥": None,
    "₱": "PHP",
    "฿": "THB",
    "₫": "VND",
    "₩": "KRW",
    "₹": "INR",
    "RM": "MYR",
    "Rp": "IDR",
    "NT$": "TWD",
    "S$": "SGD",
    "R$": "BRL",
    "zł": "PLN",
}


def currency_in_text(text: str) -> str | None:
    """The ISO code written inside a column name: ``Amount spent (EUR)`` -> ``EUR``."""
    for m in re.finditer(r"[(\[]\s*([A-Za-z]{3}|[^\w\s)\]]{1,3}|NT\$|RM|Rp|S\$|R\$)\s*[)\]]", text):
        token = m.group(1)
        if token.upper() in currency_codes() and token.isupper():
            return token.upper()
        if token in _SYMBOLS and _SYMBOLS[token]:
            return _SYMBOLS[token]
    return None
