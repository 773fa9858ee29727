"""`tradewinds fx …`: exchange rates (ECB reference rates or date,base,quote,rate files).

Every workspace starts with the ECB's reference rates since 1999, shipped inside the
install; `fx import` adds a seller's own rate files, `fx fetch` the ECB's newest day.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from tradewinds.cli.context import OptionalWorkspace, WorkspaceOption
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import ngettext, translate
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.i18n_markers import Text

fx_group = typer.Typer(
    help=_("Exchange rates for converting money between currencies."), no_args_is_help=True
)


def _workspace(workspace: str, as_json: bool) -> tuple[int, str]:
    """(id, key) of the named workspace, or exit with the reason."""
    from tradewinds.cli.context import workspace_or_exit

    return workspace_or_exit(workspace, as_json=as_json)


def _workspace_key(workspace: str, as_json: bool) -> str:
    return _workspace(workspace, as_json)[1]


@fx_group.command(
    "import", help=_("Import exchange rates into the workspace's fx_rates table (idempotent).")
)
def import_rates(
    files: list[Path] = typer.Argument(
        ..., help=_("eurofxref(-hist).csv/.zip or date,base,quote,rate CSV")
    ),
    workspace: str = WorkspaceOption,
    fmt: str | None = typer.Option(
        None, "--format", help=_("ecb or pairs (default: from the header)")
    ),
    as_json: bool = JsonOption,
) -> None:
    """Import exchange rates into the workspace's fx_rates table (idempotent)."""
    from tradewinds.markets.fx_files import FxFileError, import_fx_file
    from tradewinds.warehouse import WarehouseError, open_warehouse

    if fmt not in (None, "ecb", "pairs"):
        fail(Text("--format must be ecb or pairs"), as_json=as_json, code="invalid_input")
    from tradewinds.cli.context import cli_actor
    from tradewinds.db.engine import session_scope
    from tradewinds.markets.fx_files import audit_import

    workspace_id, key = _workspace(workspace, as_json)
    results = []
    try:
        with open_warehouse(key) as warehouse:
            for path in files:
                result = import_fx_file(warehouse, path=path, fmt=fmt)  # type: ignore[arg-type]
                with session_scope() as session:
                    audit_import(
                        session, result=result, actor=cli_actor(), workspace_id=workspace_id
                    )
                results.append(result)
    except (FxFileError, OSError) as exc:
        fail(str(exc), as_json=as_json, code="unreadable_file")
    except WarehouseError as exc:
        fail(str(exc), as_json=as_json, code="warehouse_error")
    if as_json:
        emit_json(
            {
                "files": [
                    {
                        "file": r.file,
                        "format": r.format,
                        "rates": r.rates,
                        "inserted": r.inserted,
                        "updated": r.updated,
                        "duplicates": r.duplicates,
                        "first_date": r.first_date,
                        "last_date": r.last_date,
                        "currencies": r.currencies,
                    }
                    for r in results
                ]
            }
        )
        return
    for r in results:
        span = f"{r.first_date} … {r.last_date}" if r.first_date else _("no rates")
        typer.echo(
            _(
                "%(file)s [%(format)s]: %(rates)s rates (%(span)s, %(currencies)s currencies): "
                "%(inserted)s new, %(updated)s changed, %(duplicates)s already known",
                file=r.file,
                format=r.format,
                rates=format(r.rates, ","),
                span=span,
                currencies=len(r.currencies),
                inserted=format(r.inserted, ","),
                updated=format(r.updated, ","),
                duplicates=format(r.duplicates, ","),
            )
        )


@fx_group.command(
    "convert",
    help=_("Convert an amount at the rate of its date (latest earlier business day if needed)."),
)
def convert(
    amount: str = typer.Argument(..., help=_("amount, e.g. 129.90")),
    from_currency: str = typer.Argument(
        ..., metavar="FROM", help=_("currency of the amount, e.g. EUR")
    ),
    to_currency: str = typer.Argument(
        ..., metavar="TO", help=_("currency to convert to, e.g. USD")
    ),
    on: str = typer.Option(..., "--on", help=_("date of the transaction, YYYY-MM-DD")),
    workspace: str | None = OptionalWorkspace,
    as_json: bool = JsonOption,
) -> None:
    """Convert an amount at the rate of its date (latest earlier business day if needed)."""
    from tradewinds.markets.currencies import UnknownCurrency, normalize_currency
    from tradewinds.markets.fx import MissingRate, load_fx_table
    from tradewinds.markets.fx_bundled import bundled_table
    from tradewinds.markets.schemas import FxConversion
    from tradewinds.warehouse import open_warehouse

    try:
        value = Decimal(amount)
        day = date.fromisoformat(on)
        src, dst = normalize_currency(from_currency), normalize_currency(to_currency)
    except (InvalidOperation, ValueError, UnknownCurrency) as exc:
        fail(
            str(exc) or Text("not an amount: %(amount)s", amount=repr(amount)),
            as_json=as_json,
            code="invalid_input",
        )
        return
    if workspace is None:
        table = bundled_table(day, day)
    else:
        key = _workspace_key(workspace, as_json)
        with open_warehouse(key) as warehouse:
            table = load_fx_table(warehouse, start=day, end=day)
    try:
        result = FxConversion.of(table, value, src=src, dst=dst, on=day)
    except MissingRate as exc:
        fail(str(exc), as_json=as_json, code="missing_rate")
        return
    if as_json:
        emit_json(result.model_dump(mode="json", by_alias=True))
        return
    note = f", {translate(result.note)}" if result.note else ""
    rate = Decimal(result.rate)
    typer.echo(
        _(
            "%(amount)s %(source)s = %(converted)s %(target)s on %(day)s (rate %(rate)s%(note)s)",
            amount=value,
            converted=result.converted,
            day=day,
            rate=format(rate, ".6f"),
            note=note,
            source=src,
            target=dst,
        )
    )


@fx_group.command(
    "status",
    help=_(
        "Each currency that converts: first and last day with a rate, and where "
        "the latest rate came from (ecb-bundled, ecb-daily, file:<name>, "
        "manual)."
    ),
)
def status(
    workspace: str | None = OptionalWorkspace,
    as_json: bool = JsonOption,
) -> None:
    """Each currency that converts: first and last day with a rate, and where the latest
    rate came from (ecb-bundled, ecb-daily, file:<name>, manual)."""
    from tradewinds.markets.fx_status import bundled_status, workspace_status
    from tradewinds.warehouse import open_warehouse

    if workspace is None:
        report = bundled_status()
    else:
        key = _workspace_key(workspace, as_json)
        with open_warehouse(key) as warehouse:
            report = workspace_status(warehouse)
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    if not report.currencies:
        typer.echo(_("No exchange rates: import some with `tradewinds fx import`."))
    for c in report.currencies:
        typer.echo(f"{c.currency}: {c.first} … {c.last} ({c.source})")


@fx_group.command(
    "fetch",
    help=_(
        "Fetch the ECB's latest reference rates now and add them to every "
        "workspace (a running server does this once a day)."
    ),
)
def fetch(
    url: str | None = typer.Option(
        None, "--url", help=_("ECB daily or 90-day XML (default: TRADEWINDS_FX_DAILY_URL)")
    ),
    as_json: bool = JsonOption,
) -> None:
    """Fetch the ECB's latest reference rates now and add them to every workspace
    (a running server does this once a day)."""
    from dataclasses import asdict

    from tradewinds.markets.fx_refresh import fetch_for_all_workspaces

    done = fetch_for_all_workspaces(url)
    if done.error:
        fail(done.error, as_json=as_json, code="fetch_failed")
    if as_json:
        emit_json(asdict(done))
        return
    added = sum(done.added.values())
    line = ngettext(
        "ECB rates of %(days)s: %(added)s new rate(s) in %(num)s workspace",
        "ECB rates of %(days)s: %(added)s new rate(s) in %(num)s workspaces",
        len(done.added),
        days=", ".join(done.days),
        added=format(added, ","),
    )
    if done.failed:
        line += "; " + _("failed: %(workspaces)s", workspaces=", ".join(done.failed))
    typer.echo(line)


@fx_group.command("rates", help=_("Which currency pairs have rates, and for which dates."))
def coverage(
    workspace: str = WorkspaceOption,
    as_json: bool = JsonOption,
) -> None:
    """Which currency pairs have rates, and for which dates."""
    from tradewinds.warehouse import open_warehouse

    key = _workspace_key(workspace, as_json)
    with open_warehouse(key) as warehouse:
        result = warehouse.query(
            'SELECT base, quote, count(*) AS days, min("date") AS first_date, '
            'max("date") AS last_date FROM fx_rates GROUP BY base, quote ORDER BY base, quote'
        )
    pairs = result.as_dicts()
    if as_json:
        emit_json({"pairs": pairs})
        return
    if not pairs:
        typer.echo(_("No exchange rates yet: import some with `tradewinds fx import`."))
    for p in pairs:
        pair = f"{p['base']}/{p['quote']}"
        typer.echo(
            _(
                "%(pair)s: %(days)s days, %(first)s … %(last)s",
                pair=pair,
                days=format(p["days"], ","),
                first=p["first_date"],
                last=p["last_date"],
            )
        )


def register(app: typer.Typer) -> None:
    app.add_typer(fx_group, name="fx")
