"""`tradewinds compliance …`: check ad copy against market and platform rule packs.

What people read — a finding's message, a pack's title, a bad pack's reasons, the verdict —
is in the command's language (``cli/language.py``); ``--json`` stays English.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer

from tradewinds.cli.context import OptionalWorkspace
from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import ngettext, translate
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.compliance.autofix import autofix
from tradewinds.compliance.batch import check_lines_json
from tradewinds.compliance.engine import check_text
from tradewinds.compliance.labels import SCOPES, SEVERITIES, VERDICTS
from tradewinds.compliance.loader import PackError, builtin_packs, parse_pack
from tradewinds.compliance.models import RulePack
from tradewinds.i18n_markers import Text

group = typer.Typer(
    help=_("Check ad copy against per-market and per-platform rule packs."), no_args_is_help=True
)

MARKET_HELP = _("market: EU DE FR UK US CN JP SA AE ID MY BR (other EU members use EU)")
FILE_HELP = _("JSON lines {id,text,market,platform,field,sponsored}; '-' reads stdin")
PLATFORM_HELP = _("google, meta, tiktok or amazon")
FIELD_HELP = _("ad field, e.g. headline, title")
SPONSORED_HELP = _("sponsored/influencer content")
PackOption = typer.Option(None, "--pack", help=_("extra rule pack YAML (brand terms…); repeatable"))
BLOCKED_EXIT = 1  # a blocked ad is a "no": scripts and CI can stop on it


def said(value: object) -> str:
    """A rule's or the engine's words in the command's language: a ``Text`` with its
    values, a rule pack's plain message looked up as it is (shown as written when the
    catalogs lack it: a workspace's own pack)."""
    if isinstance(value, Text):
        return translate(value)
    return _(str(value)) if value else ""


def _is_blocked(json_line: str) -> bool:
    try:
        return json.loads(json_line).get("verdict") == "block"
    except (ValueError, AttributeError):
        return False


def _load_packs(
    paths: list[Path] | None, *, as_json: bool, workspace: str | None = None
) -> list[RulePack]:
    packs: list[RulePack] = []
    if workspace:
        packs.extend(_workspace_packs(workspace, as_json=as_json))
    for path in paths or []:
        try:
            packs.append(parse_pack(path.read_text(encoding="utf-8"), source=str(path)))
        except OSError as exc:
            fail(_cannot_read(path, exc), as_json=as_json, code="io_error")
        except PackError as exc:
            fail(_pack_error(exc), as_json=as_json, code="invalid_pack")
    return packs


def _cannot_read(path: Path, exc: OSError) -> Text:
    return Text("cannot read %(path)s: %(problem)s", path=str(path), problem=str(exc))


def _pack_error(exc: PackError) -> Text:
    """``source: problem; problem`` as one sentence per problem, as ``str(exc)`` reads."""
    text = Text("%(source)s: %(problem)s", source=exc.source, problem=exc.problems[0].text())
    for problem in exc.problems[1:]:
        text = Text("%(first)s; %(then)s", first=text, then=problem.text())
    return text


def _workspace_packs(workspace: str, *, as_json: bool) -> list[RulePack]:
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.compliance.user_packs import enabled_user_packs
    from tradewinds.db.engine import session_scope
    from tradewinds.errors import TradewindsError

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            return enabled_user_packs(session=session, workspace_id=ws.id)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    return []


def _print_findings(verdict: str, findings: list[dict]) -> None:
    typer.echo(_("verdict: %(verdict)s", verdict=said(VERDICTS.get(verdict, verdict))))
    for f in findings:
        span = f"[{f['start']},{f['end']})"
        severity = said(SEVERITIES.get(f["severity"], f["severity"]))
        typer.echo(f"  {severity:5} {f['rule_id']} {span} {f['matched']!r}")
        # a workspace's own pack (--pack, --workspace) is shown as its authors wrote it
        ours = f["pack"] in builtin_packs() or f["pack"] == "tradewinds"
        message = said(f["message"]) if ours else f["message"]
        reference = said(f["reference"]) if ours else f["reference"]
        typer.echo(f"        {message.strip()}")
        typer.echo("        " + _("ref: %(reference)s", reference=reference))
        if f.get("suggested_fix") is not None:
            typer.echo("        " + _("fix: %(fix)s", fix=repr(f["suggested_fix"])))


@group.command(
    "check",
    help=_(
        "Check one ad text, or a JSON-lines file of ads (one JSON result line "
        "per input).\n\n"
        "Exit status: 1 when the verdict is block (with --file: when any ad is "
        "blocked), 0 when it is pass or warn; usage and file errors also exit "
        "1, with a message."
    ),
)
def check_command(
    text: str = typer.Argument(None, help=_("the ad text (omit with --file)")),
    market: str = typer.Option(None, "--market", "-m", help=MARKET_HELP),
    platform: str = typer.Option(
        None, "--platform", "-p", help=_("google, meta, tiktok or amazon")
    ),
    field: str = typer.Option(None, "--field", "-f", help=_("ad field, e.g. headline, title")),
    sponsored: bool = typer.Option(False, "--sponsored", help=_("sponsored/influencer content")),
    file: Path = typer.Option(None, "--file", help=FILE_HELP),
    pack: list[Path] = PackOption,
    workspace: str | None = OptionalWorkspace,
    workers: int = typer.Option(
        None, "--workers", min=1, help=_("processes for --file (default: up to 2 cores)")
    ),
    as_json: bool = JsonOption,
) -> None:
    """Check one ad text, or a JSON-lines file of ads (one JSON result line per input).

    Exit status: 1 when the verdict is block (with --file: when any ad is blocked),
    0 when it is pass or warn; usage and file errors also exit 1, with a message.
    """
    extra = _load_packs(pack, as_json=as_json, workspace=workspace)
    if file is not None:
        stream = sys.stdin if str(file) == "-" else None
        try:
            handle = stream or file.open(encoding="utf-8")
        except OSError as exc:
            fail(_cannot_read(file, exc), as_json=as_json, code="io_error")
        with handle:
            lines = handle.read().splitlines()
        jobs = workers if workers is not None else min(2, os.cpu_count() or 1)
        out = sys.stdout
        blocked = False
        for line in check_lines_json(
            lines, default_market=market, default_platform=platform, extra_packs=extra, workers=jobs
        ):
            out.write(line + "\n")
            blocked = blocked or _is_blocked(line)
        raise typer.Exit(BLOCKED_EXIT if blocked else 0)
    if text is None:
        fail(Text("give the ad TEXT or --file"), as_json=as_json, code="usage")
    if not market:
        fail(Text("--market is required"), as_json=as_json, code="usage")
    result = check_text(
        text, market=market, platform=platform, field=field, sponsored=sponsored, extra_packs=extra
    )
    data = result.to_dict()
    if as_json:
        emit_json(data)
    else:
        _print_findings(data["verdict"], data["findings"])
    raise typer.Exit(BLOCKED_EXIT if data["verdict"] == "block" else 0)


@group.command(
    "fix", help=_("Apply only the safe replacements the rules carry, then check the result again.")
)
def fix_command(
    text: str = typer.Argument(..., help=_("the ad text")),
    market: str = typer.Option(..., "--market", "-m", help=MARKET_HELP),
    platform: str = typer.Option(None, "--platform", "-p", help=PLATFORM_HELP),
    field: str = typer.Option(None, "--field", "-f", help=FIELD_HELP),
    sponsored: bool = typer.Option(False, "--sponsored", help=SPONSORED_HELP),
    pack: list[Path] = PackOption,
    workspace: str | None = OptionalWorkspace,
    as_json: bool = JsonOption,
) -> None:
    """Apply only the safe replacements the rules carry, then check the result again."""
    extra = _load_packs(pack, as_json=as_json, workspace=workspace)
    fixed = autofix(
        text, market=market, platform=platform, field=field, sponsored=sponsored, extra_packs=extra
    )
    data = {
        "original": fixed.original,
        "fixed": fixed.fixed,
        "applied": [f.to_dict() for f in fixed.applied],
        **fixed.result.to_dict(),
    }
    if as_json:
        emit_json(data)
        return
    typer.echo(_("fixed: %(text)s", text=fixed.fixed))
    count = len(fixed.applied)
    typer.echo(ngettext("applied %(num)s safe fix", "applied %(num)s safe fixes", count))
    _print_findings(data["verdict"], data["findings"])


@group.command("packs", help=_("List the built-in rule packs (or the rules of one pack)."))
def packs_command(
    pack_id: str = typer.Argument(None, help=_("show the rules of one pack")),
    as_json: bool = JsonOption,
) -> None:
    """List the built-in rule packs (or the rules of one pack)."""
    packs = builtin_packs()
    if pack_id is not None:
        chosen = packs.get(pack_id)
        if chosen is None:
            message = Text("no pack '%(id)s'; packs: %(packs)s", id=pack_id, packs=", ".join(packs))
            fail(message, as_json=as_json, code="not_found")
        if as_json:
            emit_json(chosen.model_dump(mode="json"))
            return
        typer.echo(f"{chosen.id}: {said(chosen.title)}")
        for rule in chosen.rules:
            severity = said(SEVERITIES[rule.severity])
            typer.echo(f"  {severity:5} {rule.id} ({rule.kind}) — {rule.reference}")
            typer.echo(f"        {said(rule.message)}")
        return
    rows = [
        {
            "id": p.id,
            "title": p.title,
            "scope": p.scope,
            "markets": p.markets,
            "platforms": p.platforms,
            "extends": p.extends,
            "rules": len(p.rules),
        }
        for p in packs.values()
    ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        where = ",".join(row["markets"] or row["platforms"]) or _("all")
        scope = said(SCOPES[row["scope"]])
        count = ngettext("%(num)s rule", "%(num)s rules", row["rules"])
        typer.echo(f"{row['id']:8} {scope:12} {where:12} {count:>10}  {said(row['title'])}")


@group.command(
    "validate", help=_("Validate a rule pack; a bad pack is reported with line and reason.")
)
def validate_command(
    path: Path = typer.Argument(..., help=_("a rule pack YAML file")),
    as_json: bool = JsonOption,
) -> None:
    """Validate a rule pack; a bad pack is reported with line and reason."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        fail(_cannot_read(path, exc), as_json=as_json, code="io_error")
    try:
        pack = parse_pack(text, source=str(path))
    except PackError as exc:
        if as_json:
            emit_json(
                {
                    "valid": False,
                    "problems": [
                        {"line": p.line, "location": p.location, "reason": p.reason}
                        for p in exc.problems
                    ],
                }
            )
        else:
            for problem in exc.problems:
                typer.echo(f"{path}: {translate(problem.text())}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        emit_json({"valid": True, "id": pack.id, "rules": len(pack.rules)})
    else:
        count = len(pack.rules)
        typer.echo(
            ngettext(
                "%(path)s: valid (%(num)s rule)",
                "%(path)s: valid (%(num)s rules)",
                count,
                path=str(path),
            )
        )


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="compliance")
