"""The ECB's new reference rates, fetched by a running server once a day.

The ECB publishes the day's euro reference rates around 16:00 CET on every TARGET business
day, as ``eurofxref-daily.xml`` (one day) and ``eurofxref-hist-90d.xml`` (the last 90 days);
both have the same shape::

    <gesmes:Envelope …><Cube><Cube time="2026-11-02">
        <Cube currency="USD" rate="1.1161"/> …

:func:`fetch_ecb` reads either file from ``TRADEWINDS_FX_DAILY_URL`` (the daily file by
default; empty turns fetching off). A network or format problem is a logged warning and an
unsuccessful :class:`FetchResult`, never an exception: the rates already stored (the
bundled history, earlier fetches) keep converting, with weekend and holiday fall-back.

:func:`store_fetched` adds the fetched rates to one workspace with source ``ecb-daily``,
only for the days and currencies it lacks: a rate from a file or entered by hand stays.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import httpx
import pandas as pd

from tradewinds.markets.currencies import UnknownCurrency, normalize_currency
from tradewinds.markets.fx import FxRate
from tradewinds.markets.fx_bundled import DAILY_SOURCE, RateSpan, missing_from

log = logging.getLogger("tradewinds.markets")

ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
MAX_BYTES = 2_000_000  # the 90-day file is about 60 kB
TIMEOUT_SECONDS = 20.0


class EcbFormatError(ValueError):
    """The ECB's answer is not a reference-rate file; says what was wrong."""


@dataclass
class FetchResult:
    url: str
    rates: list[FxRate] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def days(self) -> list[date]:
        return sorted({r.date for r in self.rates})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_ecb_xml(content: bytes | str) -> list[FxRate]:
    """EUR-based rates of an ECB ``eurofxref-daily.xml`` / ``-hist-90d.xml`` document."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise EcbFormatError(f"not XML ({exc})") from None
    rates: list[FxRate] = []
    for day_cube in root.iter():
        if _local(day_cube.tag) != "Cube" or "time" not in day_cube.attrib:
            continue
        text = day_cube.attrib["time"]
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise EcbFormatError(f"time={text!r} is not a date (expected 2026-11-02)") from None
        for cube in day_cube:
            code, value = cube.attrib.get("currency", ""), cube.attrib.get("rate", "")
            try:
                currency = normalize_currency(code)
                rate = Decimal(value)
            except (UnknownCurrency, InvalidOperation):
                raise EcbFormatError(
                    f"{day}: currency={code!r} rate={value!r} is not a currency and a rate"
                ) from None
            if not rate.is_finite() or rate <= 0:
                raise EcbFormatError(f"{day}: {currency} rate {value!r} is not positive")
            rates.append(FxRate(day, "EUR", currency, rate, DAILY_SOURCE))
    if not rates:
        raise EcbFormatError("no <Cube time=… currency=… rate=…> rates in the document")
    return rates


def fetch_ecb(url: str = ECB_DAILY_URL, *, timeout: float = TIMEOUT_SECONDS) -> FetchResult:
    """Download and read the ECB file at ``url``; failures are logged, not raised."""
    result = FetchResult(url=url)
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True) as client,
            client.stream("GET", url) as response,
        ):
            response.raise_for_status()
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > MAX_BYTES:
                    raise EcbFormatError(f"the answer is larger than {MAX_BYTES:,} bytes")
        result.rates = parse_ecb_xml(bytes(body))
    except httpx.HTTPStatusError as exc:
        result.error = f"the ECB answered HTTP {exc.response.status_code}"
    except httpx.HTTPError as exc:
        result.error = f"cannot reach {url}: {exc or type(exc).__name__}"
    except EcbFormatError as exc:
        result.error = f"{url} is not an ECB reference-rate file: {exc}"
    if result.error:
        log.warning(
            "new ECB exchange rates not fetched (%s); the rates already stored keep being used",
            result.error,
        )
    return result


def store_fetched(warehouse: object, rates: list[FxRate]) -> int:
    """Add ``rates`` the workspace lacks (by day, base and quote); returns how many."""
    if not rates:
        return 0
    frame = pd.DataFrame(
        {
            "date": [r.date for r in rates],
            "base": [r.base for r in rates],
            "quote": [r.quote for r in rates],
            "rate": [format(r.rate, "f") for r in rates],
            "source": [r.source for r in rates],
        }
    )
    span = RateSpan(min(frame["date"]), max(frame["date"]), len(frame))
    new = missing_from(warehouse, frame, span)
    if new.empty:
        return 0
    return warehouse.load("fx_rates", new).inserted  # type: ignore[attr-defined]
