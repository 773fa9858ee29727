"""Exchange rates and exact currency conversion.

A rate ``FxRate(date, base, quote, rate)`` means 1 ``base`` = ``rate`` ``quote`` on
``date`` (the ECB publishes EUR-based rates: base ``EUR``). Money converts at the rate of
its own date; on a weekend or holiday the latest earlier published rate is used, looking
back at most ``lookback_days`` (7 by default). Pairs that are not published directly go
through the inverse rate or a cross rate via the pivot currency (EUR). A missing rate
raises :class:`MissingRate`; it is never taken as 1.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import pandas as pd

from tradewinds.markets.currencies import minor_units
from tradewinds.warehouse.fx_daily import LOOKBACK_DAYS as DEFAULT_LOOKBACK_DAYS
from tradewinds.warehouse.fx_daily import PIVOT


@dataclass(frozen=True, order=True)
class FxRate:
    date: date
    base: str
    quote: str
    rate: Decimal
    source: str = ""


@dataclass(frozen=True)
class FxQuote:
    """A rate used for day ``on``, published on ``rate_date`` (earlier on a weekend or
    holiday: the latest business day within the look-back)."""

    rate: Decimal
    rate_date: date
    on: date

    @property
    def carried(self) -> bool:
        return self.rate_date < self.on

    def describe(self) -> str:
        """``"rate of 2024-03-28 (Thursday)"`` when carried from an earlier day, else ``""``."""
        if not self.carried:
            return ""
        return f"rate of {self.rate_date.isoformat()} ({self.rate_date.strftime('%A')})"


class MissingRate(LookupError):
    """No usable rate for ``currency`` on ``date`` (nor within the lookback before it)."""

    def __init__(
        self,
        currency: str,
        date: date,
        *,
        against: str | None = None,
        lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    ):
        self.currency = currency
        self.date = date
        self.against = against
        self.lookback_days = lookback_days
        pair = f"{currency}/{against}" if against else currency
        super().__init__(
            f"no {pair} exchange rate for {date.isoformat()} "
            f"(nor in the {lookback_days} days before it): upload rates covering that date "
            "(Data → Exchange rates, or `tradewinds fx import`)"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MissingRate) and (self.currency, self.date) == (
            other.currency,
            other.date,
        )

    def __hash__(self) -> int:
        return hash((self.currency, self.date))

    def __reduce__(self):  # keep pickling (multiprocessing) working with keyword arguments
        return (MissingRate, (self.currency, self.date))


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


class FxTable:
    """Rates held in memory, looked up by pair and date."""

    def __init__(
        self,
        rates: Iterable[FxRate],
        *,
        lookback_days: int = DEFAULT_LOOKBACK_DAYS,
        pivot: str = PIVOT,
    ):
        self.lookback_days = lookback_days
        self.pivot = pivot
        series: dict[tuple[str, str], dict[date, Decimal]] = {}
        for r in rates:
            if r.rate <= 0:
                raise ValueError(f"exchange rate must be positive: {r}")
            series.setdefault((r.base, r.quote), {})[r.date] = Decimal(r.rate)
        self._dates: dict[tuple[str, str], list[date]] = {}
        self._rates: dict[tuple[str, str], list[Decimal]] = {}
        for pair, by_date in series.items():
            ordered = sorted(by_date)
            self._dates[pair] = ordered
            self._rates[pair] = [by_date[d] for d in ordered]

    def __len__(self) -> int:
        return sum(len(v) for v in self._dates.values())

    @property
    def currencies(self) -> set[str]:
        return {c for pair in self._dates for c in pair}

    def published(self, base: str, quote: str, on: date | datetime) -> tuple[date, Decimal] | None:
        """The latest directly published ``base``→``quote`` rate not after ``on``, within
        the lookback; ``None`` if there is none."""
        day = _as_date(on)
        dates = self._dates.get((base, quote))
        if not dates:
            return None
        i = bisect.bisect_right(dates, day) - 1
        if i < 0 or (day - dates[i]) > timedelta(days=self.lookback_days):
            return None
        return dates[i], self._rates[(base, quote)][i]

    def _direct(self, base: str, quote: str, day: date) -> tuple[Decimal, date] | None:
        """The published ``base``→``quote`` rate or the inverse of ``quote``→``base``,
        whichever was published later (the direct one when both are of the same day)."""
        found = self.published(base, quote, day)
        inverse = self.published(quote, base, day)
        if inverse is not None and (found is None or inverse[0] > found[0]):
            with localcontext() as ctx:
                ctx.prec = 34
                return Decimal(1) / inverse[1], inverse[0]
        if found is not None:
            return found[1], found[0]
        return None

    def quote(self, base: str, quote: str, on: date | datetime) -> FxQuote:
        """The rate for ``on`` and the day it was published (the older leg's day for a cross
        rate); raises :class:`MissingRate`."""
        day = _as_date(on)
        if base == quote:
            return FxQuote(Decimal(1), day, day)
        direct = self._direct(base, quote, day)
        if direct is not None:
            return FxQuote(direct[0], direct[1], day)
        pivot = self.pivot
        to_base = (Decimal(1), day) if base == pivot else self._direct(pivot, base, day)
        if to_base is None:
            raise MissingRate(base, day, lookback_days=self.lookback_days)
        to_quote = (Decimal(1), day) if quote == pivot else self._direct(pivot, quote, day)
        if to_quote is None:
            raise MissingRate(quote, day, lookback_days=self.lookback_days)
        with localcontext() as ctx:
            ctx.prec = 34
            return FxQuote(to_quote[0] / to_base[0], min(to_base[1], to_quote[1]), day)

    def rate(self, base: str, quote: str, on: date | datetime) -> Decimal:
        """Units of ``quote`` for one ``base`` on ``on``; raises :class:`MissingRate`."""
        return self.quote(base, quote, on).rate

    def convert(
        self,
        amount: Decimal,
        *,
        from_currency: str,
        to_currency: str,
        on: date | datetime,
        places: int | None = None,
    ) -> Decimal:
        """``amount`` in ``from_currency`` expressed in ``to_currency`` at ``on``'s rate.

        ``places`` rounds half-even to that many decimals; ``None`` keeps full precision.
        """
        if not isinstance(amount, Decimal):
            raise TypeError("amount must be a Decimal")
        if from_currency == to_currency:
            value = amount
        else:
            with localcontext() as ctx:
                ctx.prec = 34
                value = amount * self.rate(from_currency, to_currency, on)
        if places is None:
            return value
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)

    def convert_money(
        self, amount: Decimal, *, from_currency: str, to_currency: str, on: date | datetime
    ) -> Decimal:
        """Convert and round to the target currency's minor units (JPY 0, EUR 2, KWD 3)."""
        return self.convert(
            amount,
            from_currency=from_currency,
            to_currency=to_currency,
            on=on,
            places=minor_units(to_currency),
        )


def load_fx_table(
    warehouse: object,
    *,
    start: date | None = None,
    end: date | None = None,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
) -> FxTable:
    """An :class:`FxTable` of the warehouse's ``fx_rates`` (optionally a date window; the
    window is widened by the lookback so that ``start`` itself can fall back)."""
    clauses, params = [], []
    if start is not None:
        clauses.append('"date" >= ?')
        params.append(start - timedelta(days=lookback_days))
    if end is not None:
        clauses.append('"date" <= ?')
        params.append(end)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    result = warehouse.query(  # type: ignore[attr-defined]
        f'SELECT "date", base, quote, rate, source FROM fx_rates{where}', params or None
    )
    rates = [FxRate(d, b, q, Decimal(r), s or "") for d, b, q, r, s in result.rows]
    return FxTable(rates, lookback_days=lookback_days)


def convert_column(
    frame: pd.DataFrame,
    *,
    fx: FxTable,
    amount: str,
    currency: str,
    on: str,
    to: str,
    places: int | None = None,
) -> tuple[pd.Series, list[MissingRate]]:
    """Convert a DataFrame column of amounts, each at the rate of its row's date.

    Returns the converted amounts (``Decimal``; ``None`` where no rate exists) and the
    distinct missing rates, so a report can list them instead of guessing. Rates are looked
    up once per (currency, day), not once per row.
    """
    days = pd.to_datetime(frame[on], utc=True).dt.date if len(frame) else frame[on]
    keys = list(zip(frame[currency], days, strict=True))
    rates: dict[tuple[str, date], Decimal | None] = {}
    missing: dict[MissingRate, None] = {}
    for key in dict.fromkeys(keys):
        cur, day = key
        try:
            rates[key] = fx.rate(cur, to, day)
        except MissingRate as exc:
            rates[key] = None
            missing[exc] = None
    quantum = Decimal(1).scaleb(-places) if places is not None else None
    out: list[Decimal | None] = []
    for value, key in zip(frame[amount], keys, strict=True):
        rate = rates[key]
        if rate is None or value is None or (isinstance(value, float) and value != value):
            out.append(None)
            continue
        with localcontext() as ctx:
            ctx.prec = 34
            converted = Decimal(value if isinstance(value, Decimal) else str(value)) * rate
        out.append(converted.quantize(quantum, ROUND_HALF_EVEN) if quantum else converted)
    return pd.Series(out, index=frame.index, dtype=object), list(missing)
