"""Markets pages: the holiday and shopping-festival calendar, VAT/GST rates, landed prices.

Every form is a GET, so the URL keeps what was asked and a link can be shared. The pages
read the same reports as ``tradewinds markets`` and ``/api/v1/markets`` (markets/service.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tradewinds.analytics.access import TAX
from tradewinds.web.deps import DataReader, WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.i18n import N_
from tradewinds.web.i18n import gettext as _

router = APIRouter(prefix="/markets", include_in_schema=False)
Reader = DataReader

KINDS = {
    "public_holiday": N_("Public holiday"),
    "festival": N_("Shopping festival"),
    "season": N_("Season"),
}
#: how many days ahead the calendar's "coming up" list looks
UPCOMING_DAYS = 90


def _page(request: Request, ctx: WebContext, template: str, status_code: int = 200, **kw: Any):
    ctx.require("data.read")
    ctx.nav = "markets"
    return render(request, template, ctx.page(kinds=KINDS, **kw), status_code=status_code)


def _market(value: str | None, known: list[str], default: str) -> str:
    code = (value or "").strip().upper()
    code = "GB" if code == "UK" else code
    return code if code in known else default


#: the market a language's readers most likely sell from or to, when the browser names no
#: region (``ar`` rather than ``ar-SA``)
LANGUAGE_MARKETS = {"ar": "SA", "en": "US"}


def _default_market(known: list[str]) -> str:
    """The market of the reader's locale (de-DE → DE), else of the page's language (ar → SA,
    ja → JP), else the United States."""
    from babel import Locale, UnknownLocaleError

    from tradewinds.web import i18n

    language = i18n.current()
    for tag in (i18n.current_number_locale(), language.number_locale):
        try:
            guess = Locale.parse(tag).territory if tag else None
        except (ValueError, UnknownLocaleError):
            guess = None
        if guess in known:
            return guess
    guess = LANGUAGE_MARKETS.get(language.code)
    return guess if guess in known else ("US" if "US" in known else known[0])


def _year(value: str | None, today: date) -> int:
    try:
        year = int(value or today.year)
    except ValueError:
        return today.year
    return year if 1990 <= year <= 2100 else today.year


def timeline(events: list[Any], *, title: str) -> dict[str, Any]:
    """A Gantt-style figure: one row per event, its days as a bar and the advertising lead
    time before it as a lighter bar."""
    from tradewinds.web import charts, texts

    names = [texts.translate(e.name) for e in events]  # festival names are catalog messages
    day = 86_400_000  # Plotly's date axis counts milliseconds
    lead = {
        "type": "bar",
        "orientation": "h",
        "name": _("Advertising lead time"),
        "y": names,
        "base": [str(e.start - timedelta(days=e.lead_days)) for e in events],
        "x": [e.lead_days * day for e in events],
        "marker": {"color": "#c9dcf0"},
        "hoverinfo": "skip",
    }
    span = {
        "type": "bar",
        "orientation": "h",
        "name": _("Event"),
        "y": names,
        "base": [str(e.start) for e in events],
        "x": [((e.end - e.start).days + 1) * day for e in events],
        "marker": {"color": charts.ACCENT},
        "customdata": [[str(e.start), str(e.end)] for e in events],
        "hovertemplate": "%{y}: %{customdata[0]} – %{customdata[1]}<extra></extra>",
    }
    height = max(220, 26 * len(events) + 90)
    figure = {
        "data": [lead, span],
        "layout": charts.layout(
            title=title,
            height=height,
            barmode="overlay",
            xaxis={"type": "date", "showgrid": True, "gridcolor": charts.GRID},
            yaxis={"autorange": "reversed", "automargin": True, "rangemode": "normal"},
            hovermode="closest",
            margin={"l": 10},
        ),
    }
    return figure


@router.get("")
def calendar_page(
    request: Request,
    ctx: Reader,
    market: str | None = None,
    year: str | None = None,
    kind: str | None = None,
):
    from tradewinds.markets.calendar import supported_markets
    from tradewinds.markets.service import calendar

    today = date.today()
    known = supported_markets()
    code = _market(market, known, _default_market(known))
    chosen_year = _year(year, today)
    chosen_kind = kind if kind in KINDS else None
    from tradewinds.web import i18n

    report = calendar(
        code,
        chosen_year,
        kinds={chosen_kind} if chosen_kind else None,
        language=i18n.current().code,
    )
    events = report.events
    coming = [e for e in events if today <= e.end and e.start <= today + timedelta(UPCOMING_DAYS)]
    ads = [e for e in events if e.kind != "public_holiday"]
    figure = timeline(ads, title=_("Festivals and seasons, with the time to advertise before"))
    months: dict[int, list[Any]] = {}
    for e in events:
        months.setdefault(e.start.month, []).append(e)
    return _page(
        request,
        ctx,
        "markets/calendar.html",
        markets=known,
        market=code,
        year=chosen_year,
        years=list(range(today.year - 2, today.year + 3)),
        kind=chosen_kind,
        events=events,
        months=sorted(months.items()),
        coming=coming,
        today=today,
        figure=figure if ads else None,
        timedelta=timedelta,
    )


@router.get("/calendar.ics")
def calendar_download(
    request: Request, ctx: Reader, market: str | None = None, year: str | None = None
):
    """The calendar as an iCalendar file (default: the reader's market, this year)."""
    from tradewinds.markets.calendar import supported_markets
    from tradewinds.markets.service import calendar_ics

    ctx.require("data.read")
    known = supported_markets()
    code = _market(market, known, "" if market else _default_market(known))
    if not code:
        return _page(
            request,
            ctx,
            "markets/calendar.html",
            status_code=404,
            error=_("No calendar for %(market)s.", market=market),
        )
    chosen_year = _year(year, date.today())
    name = f"tradewinds-{code}-{chosen_year}.ics"
    return Response(
        calendar_ics(code, chosen_year),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/vat")
def vat_page(request: Request, ctx: Reader, on: str | None = None):
    from tradewinds.markets.service import source_parts, vat
    from tradewinds.markets.tax.rates import supported_countries

    error = None
    day = date.today()
    if on:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            error = _("The date %(value)s is not a date (YYYY-MM-DD).", value=on)
    rows, missing = [], []
    for country in supported_countries():
        try:
            rate = vat(country, day)
        except LookupError:
            missing.append(country)
            continue
        rows.append((rate, *source_parts(rate.source)))
    return _page(
        request,
        ctx,
        "markets/vat.html",
        status_code=422 if error else 200,
        on=day,
        rows=rows,
        missing=missing,
        error=error,
    )


def _decimal(form: dict[str, str], name: str, errors: dict[str, str]) -> Decimal:
    raw = (form.get(name) or "0").strip() or "0"
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0:
        errors[name] = _("Enter an amount of 0 or more, e.g. 49.90.")
        return Decimal(0)
    return value


@router.get("/landed")
def landed_page(request: Request, ctx: Reader):
    from tradewinds.markets.currencies import UnknownCurrency, currency_choices, normalize_currency
    from tradewinds.markets.service import (
        LandedRequest,
        landed_with_reasons,
        parse_duty_rates,
        rates_for,
    )
    from tradewinds.markets.tax.rates import supported_countries
    from tradewinds.web import i18n

    form = {k: str(v) for k, v in request.query_params.items()}
    values = {
        "price": form.get("price", ""),
        "currency": form.get("currency", "USD"),
        "shipping": form.get("shipping", ""),
        "hs_chapter": form.get("hs_chapter", ""),
        "duty": form.get("duty", ""),
        "style": form.get("style", "charm"),
        "on": form.get("on", str(date.today())),
    }
    destinations = [c for c in supported_countries()] + ["US"]
    chosen = [c for c in request.query_params.getlist("to") if c in destinations]
    errors: dict[str, str] = {}
    results: list[Any] = []
    asked = bool(values["price"])
    if asked:
        price = _decimal(form, "price", errors)
        shipping = _decimal(form, "shipping", errors)
        try:
            currency = normalize_currency(values["currency"])
        except UnknownCurrency:
            errors["currency"] = _("Choose a currency.")
            currency = "USD"
        try:
            day = date.fromisoformat(values["on"])
        except ValueError:
            errors["on"] = _("Enter a date as YYYY-MM-DD.")
            day = date.today()
        chapter = values["hs_chapter"].strip() or None
        if chapter is not None and not (chapter.isdigit() and len(chapter) <= 2):
            errors["hs_chapter"] = _("An HS chapter is 1 or 2 digits, e.g. 61.")
        duties: dict[str, Decimal] = {}
        if values["duty"].strip():
            try:
                duties = parse_duty_rates([values["duty"].strip()] if chapter is None else [])
            except ValueError:
                errors["duty"] = _("Enter the duty as a percent, e.g. 12.")
        if chapter and values["duty"].strip():
            try:
                duties = parse_duty_rates([f"{chapter}={values['duty'].strip()}"])
            except ValueError:
                errors["duty"] = _("Enter the duty as a percent, e.g. 12.")
        if not chosen:
            errors["to"] = _("Choose at least one destination.")
        if not errors:
            table = rates_for(day, workspace_key=ctx.workspace.key)
            for country in chosen:
                request_ = LandedRequest(
                    price=price,
                    currency=currency,
                    destination=country,
                    on=day,
                    shipping=shipping,
                    hs_chapter=chapter,
                    duty_rates=duties,
                    style=values["style"] if values["style"] in ("charm", "round") else None,  # type: ignore[arg-type]
                )
                try:
                    results.append(landed_with_reasons(request_, table))
                except (LookupError, ValueError) as exc:
                    errors[f"to:{country}"] = str(exc.args[0]) if exc.args else str(exc)
    return _page(
        request,
        ctx,
        "markets/landed.html",
        status_code=422 if errors else 200,
        values=values,
        chosen=chosen or ["DE", "GB", "US", "AU"],
        destinations=sorted(set(destinations)),
        currencies=currency_choices(i18n.current().number_locale),
        errors=errors,
        results=results,
        asked=asked,
    )


TaxPage = reading(TAX)


@router.get("/tax")
def tax_page(request: Request, ctx: TaxPage, home: str | None = None):
    """Tax per market of the period and net revenue after tax; registration thresholds."""
    from tradewinds.analytics.filters import ReportScope
    from tradewinds.analytics.tax_due import tax_report
    from tradewinds.markets.tax.rates import supported_countries
    from tradewinds.warehouse import open_warehouse
    from tradewinds.web import periods

    ctx.nav = "markets"
    ws = ctx.workspace
    with open_warehouse(ws.key) as warehouse:
        period = periods.from_request(request, warehouse, ws.timezone)
        scope = ReportScope(start=period.start, end=period.end, timezone=ws.timezone)
        countries = supported_countries()
        home_code = (home or "").strip().upper() or None
        home_code = home_code if home_code in countries else None
        report = tax_report(warehouse, scope=scope, currency=ws.currency, home=home_code)
    return render(
        request,
        "markets/tax.html",
        ctx.page(
            report=report,
            period=period,
            period_compare=False,
            currency=ws.currency,
            countries=countries,
            home=home_code,
            kinds=KINDS,
        ),
    )
