"""`tradewinds audiences …`: RFM, clusters, rule segments, CLV, lookalikes, recommendations,
audience exports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from tradewinds.audiences import access
from tradewinds.auth.access import ReportAccess
from tradewinds.cli.context import AsOption, ReadAs, RoleOption, WorkspaceOption
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import translate
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.i18n_markers import Text

group = typer.Typer(help=_("Know the customers: segments, CLV and churn, lookalikes, exports."))

FORMATS = ("cdnow", "cdnow_sample", "csv")
PERIODS = ("day", "week", "month")


def _run(as_json: bool, call: Callable[[], Any]) -> Any:
    from tradewinds.audiences.clv import FitError
    from tradewinds.audiences.rules import RuleError
    from tradewinds.audiences.transactions import TransactionFileError
    from tradewinds.errors import TradewindsError

    try:
        return call()
    except RuleError as exc:
        fail(
            Text("%(problem)s\n%(pointer)s", problem=exc.args[0], pointer=exc.pointer()),
            as_json=as_json,
            code="invalid_rule",
        )
    except TradewindsError as exc:
        message = exc.message
        if isinstance(exc.details, dict) and "pointer" in exc.details:
            message = Text(
                "%(problem)s\n%(pointer)s", problem=message, pointer=exc.details["pointer"]
            )
        fail(message, as_json=as_json, code=exc.code)
    except (TransactionFileError, FitError, ValueError) as exc:
        fail(exc.args[0] if exc.args else str(exc), as_json=as_json, code="invalid_input")


def _in_workspace(
    workspace: str,
    as_json: bool,
    call: Callable[[Any, Any, Any], Any],
    report: ReportAccess,
    read_as: ReadAs,
    rule: str | None = None,
) -> tuple[Any, Any]:
    """Run ``call(session, workspace, warehouse)`` for the named workspace, once the reader
    (the operator, ``--as`` or ``--role``) may read ``report``; returns the result and the
    grant that strips what the reader may not see. A ``rule`` on a money field is refused
    to a reader without finance figures."""
    from tradewinds.cli.context import report_grant, resolve_workspace
    from tradewinds.db.engine import session_scope
    from tradewinds.warehouse import open_warehouse

    def work() -> tuple[Any, Any]:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            grant = report_grant(session, ws, report, read_as)
            if rule:
                grant.refuse_money(
                    access.rule_fields(rule), Text("the rule"), access.MONEY_RULE_FIELDS
                )
            with open_warehouse(ws.key) as warehouse:
                return call(session, ws, warehouse), grant

    return _run(as_json, work)


def _check_choice(value: str, allowed: tuple[str, ...], name: str, as_json: bool) -> None:
    if value not in allowed:
        fail(
            Text("%(option)s must be one of %(choices)s", option=name, choices=", ".join(allowed)),
            as_json=as_json,
            code="invalid_input",
        )


@group.command(
    "clv-fit",
    help=_("Fit the BG/NBD purchase model to a transactions file and print its parameters."),
)
def clv_fit(
    transactions: Path = typer.Option(..., "--transactions", help=_("transactions file")),
    fmt: str = typer.Option("csv", "--format", help=_("cdnow | cdnow_sample | csv")),
    calibration_end: str = typer.Option(..., "--calibration-end", help=_("YYYY-MM-DD")),
    period: str = typer.Option("week", "--period", help=_("day | week | month")),
    as_json: bool = JsonOption,
) -> None:
    """Fit the BG/NBD purchase model to a transactions file and print its parameters."""
    from tradewinds.audiences.service import fit_clv_file

    _check_choice(fmt, FORMATS, "--format", as_json)
    _check_choice(period, PERIODS, "--period", as_json)
    result = _run(
        as_json,
        lambda: fit_clv_file(
            path=transactions, fmt=fmt, calibration_end=calibration_end, period=period
        ),
    )
    if as_json:
        emit_json(result)
        return
    p = result["params"]
    typer.echo(
        _("BG/NBD fitted on %(customers)s customers", customers=format(result["customers"], ","))
    )
    for name in ("r", "alpha", "a", "b"):
        typer.echo(f"  {name:<5} = {p[name]:.4f}")


@group.command(
    "clv-holdout",
    help=_("Predicted vs actual purchases in a hold-out period, by calibration repeat purchases."),
)
def clv_holdout(
    transactions: Path = typer.Option(..., "--transactions", help=_("transactions file")),
    fmt: str = typer.Option("csv", "--format", help=_("cdnow | cdnow_sample | csv")),
    calibration_end: str = typer.Option(..., "--calibration-end", help=_("YYYY-MM-DD")),
    holdout_end: str = typer.Option(..., "--holdout-end", help=_("YYYY-MM-DD")),
    period: str = typer.Option("week", "--period", help=_("day | week | month")),
    as_json: bool = JsonOption,
) -> None:
    """Predicted vs actual purchases in a hold-out period, by calibration repeat purchases."""
    from tradewinds.audiences.service import holdout_file

    _check_choice(fmt, FORMATS, "--format", as_json)
    _check_choice(period, PERIODS, "--period", as_json)
    result = _run(
        as_json,
        lambda: holdout_file(
            path=transactions,
            fmt=fmt,
            calibration_end=calibration_end,
            holdout_end=holdout_end,
            period=period,
        ),
    )
    if as_json:
        emit_json(
            {
                "params": result.params.as_dict(),
                "customers": result.customers,
                "holdout_periods": result.holdout_periods,
                "by_calibration_repeats": result.by_frequency.to_dict(orient="records"),
                "actual_total": result.actual_total,
                "predicted_total": result.predicted_total,
            }
        )
        return
    periods = {"day": _("days"), "week": _("weeks"), "month": _("months")}
    typer.echo(
        _(
            "%(customers)s customers, hold-out %(periods)s %(unit)s",
            customers=format(result.customers, ","),
            periods=format(result.holdout_periods, ".1f"),
            unit=periods[period],
        )
    )
    headers = (
        _("repeat purchases in calibration"),
        _("customers"),
        _("actual mean"),
        _("predicted mean"),
    )
    typer.echo("| " + " | ".join(headers) + " |\n|---|---:|---:|---:|")
    for row in result.by_frequency.itertuples(index=False):
        typer.echo(
            f"| {row.calibration_repeats} | {row.customers:,} | {row.actual_mean:.2f} "
            f"| {row.predicted_mean:.2f} |"
        )
    total = _("%(sum)s (total)", sum=format(result.actual_total, ",.0f"))
    predicted = _("%(sum)s (total)", sum=format(result.predicted_total, ",.0f"))
    typer.echo(f"| {_('all')} | {result.customers:,} | {total} | {predicted} |")


@group.command("rfm", help=_("RFM segment sizes and the R x F grid."))
def rfm(
    workspace: str = WorkspaceOption,
    per_market: bool = typer.Option(False, "--per-market", help=_("quintiles within each market")),
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """RFM segment sizes and the R x F grid."""
    from tradewinds.audiences import schemas
    from tradewinds.audiences.service import rfm_report

    report, grant = _in_workspace(
        workspace,
        as_json,
        lambda _s, ws, wh: rfm_report(warehouse=wh, currency=ws.currency, per_market=per_market),
        access.RFM,
        ReadAs(as_email, role),
    )
    if as_json:
        emit_json(grant.strip(schemas.RfmReportPublic.of(report).public()))
        return
    typer.echo(
        _(
            "%(customers)s customers, as of %(day)s",
            customers=format(report["customers"], ","),
            day=report["as_of"],
        )
    )
    for cover in report["coverage"]:
        typer.echo(translate(cover["note"]))
    for seg in report["segments"]:
        name = _(seg["segment"])  # the RFM segments' names are in the catalogs
        typer.echo(f"  {name:<20} {seg['customers']:>8,}  {seg['share']:6.1%}")


@group.command("clusters", help=_("Behavioural clusters with a profile of each."))
def clusters(
    workspace: str = WorkspaceOption,
    k: int | None = typer.Option(None, "--k", help=_("number of clusters (default: best fit)")),
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """Behavioural clusters with a profile of each."""
    from tradewinds.audiences import schemas
    from tradewinds.audiences.service import clusters_report

    result, grant = _in_workspace(
        workspace,
        as_json,
        lambda _s, ws, wh: clusters_report(warehouse=wh, currency=ws.currency, k=k),
        access.CLUSTERS,
        ReadAs(as_email, role),
    )
    profiles = [
        {
            "cluster": p.cluster,
            "name": p.name,
            "customers": p.customers,
            "share": p.share,
            "medians": p.medians,
            "description": p.description,
        }
        for p in result.profiles
    ]
    shown = grant.strip(
        schemas.ClustersReportPublic.of(
            {"k": result.k, "silhouette": result.silhouette, "clusters": profiles}
        ).public()
    )
    if as_json:
        emit_json(shown)
        return
    for p in shown["clusters"]:
        typer.echo(f"{p['name']}: {p.get('description', p['customers'])}")


@group.command("segment", help=_("How many customers a rule selects (and a few of them)."))
def segment(
    workspace: str = WorkspaceOption,
    rule: str = typer.Option(..., "--rule", help=_("e.g. 'country in [DE, FR] and orders >= 2'")),
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """How many customers a rule selects (and a few of them)."""
    from tradewinds.audiences import schemas
    from tradewinds.audiences.service import segment_members

    result, _grant = _in_workspace(
        workspace,
        as_json,
        lambda _s, ws, wh: segment_members(warehouse=wh, currency=ws.currency, rule=rule),
        access.SEGMENT,
        ReadAs(as_email, role),
        rule=rule,
    )
    if as_json:
        emit_json(schemas.SegmentCountPublic.of(result).public())
        return
    typer.echo(
        _(
            "%(rule)s: %(members)s of %(customers)s customers",
            rule=result["rule"],
            members=format(result["members"], ","),
            customers=format(result["customers"], ","),
        )
    )


@group.command(
    "segments",
    help=_("Saved rule segments with member counts over time (recounted when orders changed)."),
)
def segments(
    workspace: str = WorkspaceOption,
    save: str | None = typer.Option(None, "--save", help=_("save --rule under this name")),
    rule: str | None = typer.Option(None, "--rule", help=_("rule to save")),
    delete: int | None = typer.Option(None, "--delete", help=_("id of a saved segment to delete")),
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """Saved rule segments with member counts over time (recounted when orders changed)."""
    from tradewinds.audiences import saved_segments
    from tradewinds.cli.context import check_as, cli_actor

    if save and not rule:
        fail(Text("--save needs --rule"), as_json=as_json, code="invalid_input")
    read_as = ReadAs(as_email, role)

    def work(session: Any, ws: Any, wh: Any) -> list[dict]:
        if save or delete is not None:
            check_as(session, ws, "audiences.export", read_as)
        if save:
            saved_segments.save_segment(
                session=session, workspace=ws, name=save, rule=rule or "", actor=cli_actor()
            )
        if delete is not None:
            saved_segments.delete_segment(
                session=session, workspace=ws, segment_id=delete, actor=cli_actor()
            )
        saved_segments.refresh_counts(session=session, workspace=ws, warehouse=wh)
        return [s.as_dict() for s in saved_segments.list_segments(session=session, workspace=ws)]

    result, _grant = _in_workspace(workspace, as_json, work, access.SAVED_SEGMENTS, read_as)
    if as_json:
        emit_json({"segments": result})
        return
    if not result:
        typer.echo(_("No saved segments yet: save one with --save NAME --rule RULE."))
    for s in result:
        members = (
            _("not counted yet")
            if s["members"] is None
            else _("%(customers)s customers", customers=format(s["members"], ","))
        )
        typer.echo(f"[{s['id']}] {s['name']}: {members}  ({s['rule']})")


@group.command(
    "clv", help=_("Customer lifetime value, P(alive) and churn risk for the workspace's customers.")
)
def clv(
    workspace: str = WorkspaceOption,
    horizon_months: int = typer.Option(12, "--horizon-months", help=_("months of CLV")),
    discount_rate: float = typer.Option(0.10, "--discount-rate", help=_("annual, e.g. 0.10")),
    top: int = typer.Option(20, "--top", help=_("customers shown")),
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """Customer lifetime value, P(alive) and churn risk for the workspace's customers."""
    from tradewinds.audiences import schemas
    from tradewinds.audiences.scores import ClvSettings
    from tradewinds.audiences.service import clv_report

    settings = ClvSettings(horizon_months=horizon_months, annual_discount_rate=discount_rate)
    result, _grant = _in_workspace(
        workspace,
        as_json,
        lambda _s, ws, wh: clv_report(warehouse=wh, currency=ws.currency, top=top, clv=settings),
        access.CLV,
        ReadAs(as_email, role),
    )
    if as_json:
        emit_json(schemas.ClvReportPublic.of(result).public())
        return
    typer.echo(
        _(
            "%(customers)s customers; %(months)s-month CLV total %(total)s",
            customers=format(result["customers"], ","),
            months=horizon_months,
            total=format(result["total_clv"], ",.2f"),
        )
    )
    for row in result["top"]:
        typer.echo(
            f"  {row['customer_id']:<16} CLV {row['clv']:>10,.2f}  P(alive) {row['p_alive']:.2f}"
        )


@group.command(
    "lookalike",
    help=_("Customers outside the seed audience who most resemble it, with the reasons."),
)
def lookalike(
    workspace: str = WorkspaceOption,
    seed: str | None = typer.Option(
        None,
        "--seed",
        help=_("a saved segment, an RFM segment (Champions) or a rule; default Champions"),
    ),
    seed_file: Path | None = typer.Option(
        None, "--seed-file", help=_("a file of customer ids, one a line (or a customer_id column)")
    ),
    one_time_only: bool = typer.Option(
        False, "--one-time-only", help=_("rank one-time buyers only")
    ),
    top: int = typer.Option(20, "--top", min=1, help=_("customers shown")),
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """Customers outside the seed audience who most resemble it, with the reasons."""
    from tradewinds.audiences import schemas
    from tradewinds.audiences.lookalike import feature_text
    from tradewinds.audiences.saved_segments import saved_rules
    from tradewinds.audiences.service import lookalike_public, lookalike_report, resolve_seed

    if seed and seed_file:
        fail(
            Text("--seed and --seed-file cannot be used together"),
            as_json=as_json,
            code="invalid_input",
        )
    ids = _seed_ids(seed_file, as_json) if seed_file else None
    wanted = None if ids is not None else (seed or "Champions")

    def run(session: Any, ws: Any, wh: Any) -> Any:
        rule = resolve_seed(wanted, saved_rules(session=session, workspace=ws)) if wanted else None
        return lookalike_report(
            warehouse=wh,
            currency=ws.currency,
            seed_rule=rule,
            seed_ids=ids,
            seed_label=wanted or str(seed_file),
            one_time_only=one_time_only,
        )

    report, grant = _in_workspace(
        workspace, as_json, run, access.LOOKALIKES, ReadAs(as_email, role), rule=seed
    )
    if as_json:
        emit_json(
            grant.strip(
                schemas.LookalikeReportPublic.of(lookalike_public(report, top=top)).public()
            )
        )
        return
    check = report.evaluation
    typer.echo(
        _(
            "Seed: %(seed)s (%(size)s customers); %(candidates)s customers ranked",
            seed=report.seed,
            size=format(report.seed_size, ","),
            candidates=format(report.candidates, ","),
        )
    )
    if check:
        champions = f"{check.champions_lift:.2f}x" if check.champions_lift is not None else "–"
        typer.echo(
            _(
                "lift@10%%: %(lift)s (random 1.00x, Champions %(champions)s), on %(hidden)s "
                "hidden seed members",
                lift=f"{check.lift_at_10:.2f}x",
                champions=champions,
                hidden=check.held_out,
            )
        )
    for row in report.result.scores.head(top).to_dict(orient="records"):
        typer.echo(
            f"  {row['customer_id']:<16} {row['score']:.3f}  "
            + ", ".join(translate(feature_text(f)) for f in row["top_features"])
        )


def _seed_ids(path: Path, as_json: bool) -> list[str]:
    """Customer ids from a text file (one a line) or a CSV with a customer_id column."""
    import csv

    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(
            Text("%(file)s: cannot read it (%(why)s)", file=str(path), why=str(exc)),
            as_json=as_json,
            code="invalid_input",
        )
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and "customer_id" in [c.strip() for c in lines[0].split(",")]:
        ids = [row.get("customer_id", "") for row in csv.DictReader(lines)]
    else:
        ids = lines
    ids = [i.strip() for i in ids if i and i.strip()]
    if not ids:
        fail(
            Text("%(file)s: no customer ids in it", file=str(path)),
            as_json=as_json,
            code="invalid_input",
        )
    return ids


@group.command(
    "recommend", help=_("Top-N products for a customer and frequently-bought-together pairs.")
)
def recommend(
    workspace: str = WorkspaceOption,
    customer: str | None = typer.Option(None, "--customer", help=_("customer id")),
    every: bool = typer.Option(
        False, "--all", help=_("top-N for every customer with purchases, one line each")
    ),
    n: int = typer.Option(10, "--n", min=1, max=100, help=_("products recommended")),
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """Top-N products for a customer and frequently-bought-together pairs."""
    from tradewinds.audiences import schemas
    from tradewinds.audiences.service import recommendations, workspace_recommender

    def progress(label: str) -> None:
        typer.echo(_("choosing the recommender: validating %(model)s", model=label), err=True)

    if every:
        if customer:
            fail(
                Text("--all and --customer cannot be used together"),
                as_json=as_json,
                code="invalid_input",
            )
        found, _grant = _in_workspace(
            workspace,
            as_json,
            lambda _s, _w, wh: workspace_recommender(
                warehouse=wh, choose_now=True, progress=progress
            ),
            access.RECOMMENDATIONS,
            ReadAs(as_email, role),
        )
        for customer_id, items in found.all_customers(n):
            if as_json:
                emit_json({"customer_id": customer_id, "items": items})
            else:
                typer.echo(f"{customer_id}\t{' '.join(items)}")
        _say_model(found.choice, err=True)
        return
    result, _grant = _in_workspace(
        workspace,
        as_json,
        lambda _s, _w, wh: recommendations(
            warehouse=wh, customer_id=customer, n=n, choose_now=True, progress=progress
        ),
        access.RECOMMENDATIONS,
        ReadAs(as_email, role),
    )
    if as_json:
        emit_json(schemas.RecommendationsPublic.of(result).public())
        return
    _say_model(result["recommender"])
    if customer:
        typer.echo(_("For %(customer)s:", customer=customer))
        for item in result["recommended_products"]:
            typer.echo(f"  {item['item_id']}  {item['title']}")
    for pair in result["bought_together"][:10]:
        orders = _("%(baskets)s orders", baskets=pair["baskets"])
        typer.echo(f"  {pair['item_id']} + {pair['other_id']}  ({orders})")


def _say_model(choice: Any, *, err: bool = False) -> None:
    if choice.validated and choice.runner_up and choice.gain_over_runner_up is not None:
        line = _(
            "Model: %(model)s, chosen on orders from %(day)s: NDCG@10 %(margin)s above the "
            "next best (%(runner_up)s)",
            model=_(choice.label),
            day=str(choice.validation_from),
            margin=f"{choice.gain_over_runner_up:+.1%}",
            runner_up=_(choice.runner_up),
        )
    else:
        line = _(
            "Model: %(model)s (too little history to compare models on)",
            model=_(choice.label),
        )
    typer.echo(line, err=err)


@group.command(
    "export", help=_("Write a hashed Customer Match (google) or Custom Audience (meta) CSV file.")
)
def export(
    workspace: str = WorkspaceOption,
    platform: str = typer.Option(..., "--platform", help=_("google | meta")),
    rule: str | None = typer.Option(None, "--rule", help=_("only customers matching this rule")),
    output: Path = typer.Option(..., "--output", "-o", help=_("CSV file to write")),
    as_email: str | None = AsOption,
    role: str | None = RoleOption,
    as_json: bool = JsonOption,
) -> None:
    """Write a hashed Customer Match (google) or Custom Audience (meta) CSV file."""
    from tradewinds.audiences.service import export_and_record

    _check_choice(platform, ("google", "meta"), "--platform", as_json)
    from tradewinds.cli.context import cli_actor

    result, _grant = _in_workspace(
        workspace,
        as_json,
        lambda session, ws, _wh: export_and_record(
            session=session, workspace=ws, actor=cli_actor(), platform=platform, rule=rule
        ),
        access.EXPORTS,
        ReadAs(as_email, role),
        rule=rule,
    )
    output.write_text(result.csv_text, encoding="utf-8")
    summary = {
        "platform": result.platform,
        "file": str(output),
        "rows": result.rows,
        "customers": result.rows + result.skipped_no_consent + result.skipped_no_identifier,
        "skipped_no_consent": result.skipped_no_consent,
        "skipped_no_identifier": result.skipped_no_identifier,
    }
    if as_json:
        emit_json(summary)
        return
    typer.echo(
        _(
            "Wrote %(rows)s of %(customers)s customers to %(file)s (%(no_consent)s without "
            "marketing consent left out, %(no_identifier)s without email or phone)",
            rows=format(result.rows, ","),
            customers=format(summary["customers"], ","),
            file=str(output),
            no_consent=format(result.skipped_no_consent, ","),
            no_identifier=format(result.skipped_no_identifier, ","),
        )
    )


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="audiences")
