"""`tradewinds markets …`: VAT/GST by country and date, the market calendar, landed prices.

Countries and markets are ISO 3166 codes (GB for the UK; UK is accepted too).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from tradewinds.cli.context import OptionalWorkspace, WorkspaceName
from tradewinds.cli.language import gettext as _
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.i18n_markers import Text

markets_group = typer.Typer(
    help=_("Tax rates, landed prices and the holiday and shopping-festival calendar."),
    no_args_is_help=True,
)


def _day(value: str | None, as_json: bool, option: str) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(
            Text("%(option)s must be a date, YYYY-MM-DD: %(value)s", option=option, value=value),
            as_json=as_json,
            code="invalid_input",
        )
        raise  # unreachable: fail() exits


def _percent(value: float) -> str:
    return format(Decimal(str(value)).normalize(), "f") + "%"


@markets_group.command("vat", help=_("A country's VAT or GST rates on a day, and their source."))
def vat(
    country: str = typer.Option(..., "--country", help=_("ISO 3166 code, e.g. EE or GB")),
    on: str | None = typer.Option(None, "--date", help=_("YYYY-MM-DD (default: today)")),
    as_json: bool = JsonOption,
) -> None:
    """A country's VAT or GST rates on a day, and their source."""
    from tradewinds.markets.service import vat as vat_report

    day = _day(on, as_json, "--date")
    try:
        report = vat_report(country, day)
    except LookupError as exc:
        fail(str(exc.args[0]) if exc.args else str(exc), as_json=as_json, code="unknown_rate")
        return
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    reduced = ", ".join(_percent(r) for r in report.reduced_rates) or _("none")
    typer.echo(
        _(
            "%(country)s on %(day)s: %(tax)s %(standard)s standard; reduced: %(reduced)s",
            country=report.country,
            day=report.date,
            tax=report.tax_name,
            standard=_percent(report.standard_rate),
            reduced=reduced,
        )
    )
    typer.echo(_("source: %(source)s", source=report.source))


@markets_group.command(
    "calendar",
    help=_(
        "A market's public holidays, shopping festivals and seasons of a year, with the "
        "days to start advertising before each."
    ),
)
def calendar(
    market: str = typer.Option(..., "--market", help=_("ISO 3166 code, e.g. SA or JP")),
    year: int = typer.Option(..., "--year", min=1990, max=2100, help=_("e.g. 2026")),
    kind: list[str] = typer.Option(
        [], "--kind", help=_("only public_holiday, festival or season (repeatable)")
    ),
    ics: Path | None = typer.Option(
        None, "--ics", help=_("also write the calendar to this iCalendar (.ics) file")
    ),
    as_json: bool = JsonOption,
) -> None:
    """A market's public holidays, shopping festivals and seasons of a year."""
    from tradewinds.markets.service import calendar as calendar_report
    from tradewinds.markets.service import calendar_ics

    bad = sorted(set(kind) - {"public_holiday", "festival", "season"})
    if bad:
        fail(
            Text("--kind must be public_holiday, festival or season: %(kind)s", kind=bad[0]),
            as_json=as_json,
            code="invalid_input",
        )
    try:
        report = calendar_report(market, year, kinds=set(kind) or None)
        if ics is not None:
            ics.write_bytes(calendar_ics(market, year))
    except ValueError as exc:
        fail(str(exc), as_json=as_json, code="unknown_market")
        return
    except OSError as exc:
        fail(str(exc), as_json=as_json, code="unwritable_file")
        return
    if as_json:
        emit_json({"market": report.market, "year": report.year, **_events(report)})
        return
    kinds = {
        "public_holiday": _("public holiday"),
        "festival": _("festival"),
        "season": _("season"),
    }
    for e in report.events:
        span = str(e.start) if e.start == e.end else f"{e.start} … {e.end}"
        lead = _("start ads %(days)s days before", days=e.lead_days) if e.lead_days else ""
        typer.echo("\t".join([span, kinds.get(e.kind, e.kind), e.name, lead]).rstrip())
    if ics is not None:
        typer.echo(_("wrote %(file)s", file=ics))


def _events(report: object) -> dict[str, object]:
    return {
        "events": [
            {
                "name": e.name,
                "start": e.start,
                "end": e.end,
                "kind": e.kind,
                "lead_days": e.lead_days,
                "key": e.key,
                "note": e.note,
                "local_name": e.local_name,
            }
            for e in report.events  # type: ignore[attr-defined]
        ]
    }


def _amount(value: str, option: str, as_json: bool) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0:
        fail(
            Text(
                "%(option)s must be an amount of 0 or more: %(value)s", option=option, value=value
            ),
            as_json=as_json,
            code="invalid_input",
        )
    return amount


@markets_group.command(
    "landed-price",
    help=_(
        "What a buyer in another country pays for a product, delivered: price, shipping, "
        "duty and VAT, and the scheme that collects them."
    ),
)
def landed_price(
    price: str = typer.Option(..., "--price", help=_("the product's price, e.g. 49.90")),
    currency: str = typer.Option(..., "--currency", help=_("the price's currency, e.g. USD")),
    destination: str = typer.Option(..., "--to", help=_("destination country, e.g. DE")),
    shipping: str = typer.Option("0", "--shipping", help=_("shipping charged, same currency")),
    quantity: int = typer.Option(1, "--quantity", min=1, help=_("items in the parcel")),
    hs_chapter: str | None = typer.Option(
        None, "--hs-chapter", help=_("the product's HS chapter, e.g. 61 for knitted apparel")
    ),
    duty: list[str] = typer.Option(
        [], "--duty", help=_("duty percent by HS chapter, e.g. 61=12 (repeatable)")
    ),
    on: str | None = typer.Option(None, "--date", help=_("YYYY-MM-DD (default: today)")),
    style: str | None = typer.Option(
        None, "--style", help=_("also give the total as a market price: charm, round or exact")
    ),
    via_marketplace: bool = typer.Option(
        False, "--via-marketplace", help=_("sold through an online marketplace (Amazon, eBay …)")
    ),
    workspace: str | None = OptionalWorkspace,
    as_json: bool = JsonOption,
) -> None:
    """What a buyer in another country pays for a product, delivered."""
    from tradewinds.cli.language import translate
    from tradewinds.markets.currencies import UnknownCurrency, normalize_currency
    from tradewinds.markets.service import (
        LandedRequest,
        landed_with_reasons,
        parse_duty_rates,
        rates_for,
    )

    day = _day(on, as_json, "--date")
    if style not in (None, "charm", "round", "exact"):
        fail(Text("--style must be charm, round or exact"), as_json=as_json, code="invalid_input")
    try:
        code = normalize_currency(currency)
        duties = parse_duty_rates(duty)
    except (UnknownCurrency, ValueError) as exc:
        fail(str(exc), as_json=as_json, code="invalid_input")
        return
    request = LandedRequest(
        price=_amount(price, "--price", as_json),
        currency=code,
        destination=destination,
        on=day,
        shipping=_amount(shipping, "--shipping", as_json),
        quantity=quantity,
        hs_chapter=hs_chapter,
        duty_rates=duties,
        style=style,  # type: ignore[arg-type]
        via_marketplace=via_marketplace,
    )
    key = None
    if workspace is not None:
        from tradewinds.cli.context import workspace_or_exit

        key = workspace_or_exit(workspace, as_json=as_json)[1]
    try:
        report, reasons = landed_with_reasons(request, rates_for(day, workspace_key=key))
    except (LookupError, ValueError) as exc:
        fail(str(exc.args[0]) if exc.args else str(exc), as_json=as_json, code="invalid_input")
        return
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    rows = [
        (_("Product"), report.product),
        (_("Shipping"), report.shipping),
        (_("Duty"), report.duty),
        (_("VAT (%(rate)s)", rate=_percent(report.vat_rate)), report.vat),
        (_("Landed price"), report.total),
    ]
    if report.localized_total is not None:
        rows.append((_("As a market price"), report.localized_total))
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        typer.echo(f"{label:<{width}}  {value} {report.currency}")
    typer.echo(" ".join(translate(sentence) for sentence in reasons))


@markets_group.command(
    "tax",
    help=_(
        "Tax in the workspace's sales per market, net revenue after tax, and the sales "
        "counted towards each registration threshold."
    ),
)
def tax(
    workspace: WorkspaceName,
    date_from: str | None = typer.Option(
        None, "--from", help=_("first day, YYYY-MM-DD (default: 29 days before --to)")
    ),
    date_to: str | None = typer.Option(
        None, "--to", help=_("last day, YYYY-MM-DD (default: the last day with orders)")
    ),
    home: str | None = typer.Option(
        None, "--home", help=_("your own country, e.g. DE: its sales are not cross-border")
    ),
    orders: bool = typer.Option(False, "--orders", help=_("also list each order's tax")),
    as_json: bool = JsonOption,
) -> None:
    """Tax per market, net revenue after tax and the registration thresholds."""
    from tradewinds.analytics.schemas import OrderTaxPublic, TaxReportPublic
    from tradewinds.analytics.tax_due import order_taxes, tax_report
    from tradewinds.cli.context import report_period
    from tradewinds.errors import TradewindsError
    from tradewinds.markets.service import normalize_country

    try:
        with report_period(workspace, date_from, date_to) as period:
            warehouse, scope, currency = period.warehouse, period.scope, period.currency
            report = TaxReportPublic.of(
                tax_report(
                    warehouse,
                    scope=scope,
                    currency=currency,
                    home=normalize_country(home) if home else None,
                )
            )
            each = (
                [OrderTaxPublic.of(o) for o in order_taxes(warehouse, scope, limit=10_000)]
                if orders
                else []
            )
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        return
    if as_json:
        out = report.model_dump(mode="json", by_alias=True)
        if orders:
            out["orders"] = [o.model_dump(mode="json") for o in each]
        emit_json(out)
        return
    for o in each:
        tax = o.tax if o.tax is not None else "—"
        typer.echo(
            "\t".join(
                [o.order_id, o.ordered_at[:10], o.country or "", o.currency, o.kept, tax, o.basis]
            )
        )
    typer.echo(
        _(
            "%(start)s – %(end)s, money in %(currency)s: net revenue %(net)s, tax %(tax)s, "
            "after tax %(after)s",
            start=report.start,
            end=report.end,
            currency=report.currency,
            net=f"{report.net_revenue:,.2f}",
            tax=f"{report.tax:,.2f}",
            after=f"{report.net_revenue_after_tax:,.2f}",
        )
    )
    for m in report.markets:
        rates = ", ".join(_percent(r) for r in m.rates) or "—"
        typer.echo(
            f"  {m.country[:18]:<18} {m.orders:>8,}  {m.net_revenue or 0:>14,.2f}  {m.tax:>12,.2f}"
            f"  {m.net_revenue_after_tax or 0:>14,.2f}  {rates}"
        )
    for t in report.thresholds:
        if t.level == "below":
            continue
        words = _("reached") if t.level == "reached" else _("nearly reached")
        typer.echo(
            _(
                "%(name)s: %(level)s (%(sales)s of %(amount)s %(currency)s)",
                name=_(t.name),
                level=words,
                sales=f"{t.sales:,.2f}",
                amount=f"{t.amount:,.0f}",
                currency=t.currency,
            )
        )


def register(app: typer.Typer) -> None:
    app.add_typer(markets_group, name="markets")
