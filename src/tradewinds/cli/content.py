"""`tradewinds content …`: write ad copy for products × markets × platform fields.

Other content commands add themselves to ``group`` (``from tradewinds.cli.content import
group``), so there is one ``content`` command group.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer
import yaml
from pydantic import ValidationError

from tradewinds.cli.context import OptionalWorkspace
from tradewinds.cli.language import gettext as _
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.compliance.counting import length
from tradewinds.content.models import GenerationRequest, GenerationResult, Glossary, Product
from tradewinds.i18n_markers import Text

group = typer.Typer(
    help=_("Write ad copy for every market and platform field."), no_args_is_help=True
)

MAX_PRODUCTS = 100_000


class ProductFileError(ValueError):
    """A products.jsonl line that cannot be read, with the file, the line and why."""


def _where(error: dict[str, Any]) -> str:
    return ".".join(str(part) for part in error.get("loc", ())) or "(line)"


def read_products(path: Path | str, lines: list[str]) -> list[Product]:
    """One product a line (JSON objects); blank lines and ``#`` comments are skipped."""
    products: list[Product] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ProductFileError(
                Text(
                    "%(path)s line %(number)s: not valid JSON (%(problem)s at column %(column)s)",
                    path=str(path),
                    number=number,
                    problem=exc.msg,
                    column=exc.colno,
                )
            ) from exc
        if not isinstance(data, dict):
            raise ProductFileError(
                Text(
                    '%(path)s line %(number)s: expected a JSON object {"id": …}',
                    path=str(path),
                    number=number,
                )
            )
        if isinstance(data.get("price"), str | int | float) and not isinstance(data["price"], bool):
            data["price"] = str(data["price"])
        if isinstance(data.get("attributes"), dict):
            data["attributes"] = {  # numbers are fine as attribute values ("pieces": 4)
                k: str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
                for k, v in data["attributes"].items()
            }
        try:
            product = Product.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ProductFileError(
                Text(
                    "%(path)s line %(number)s: field %(field)s: %(problem)s",
                    path=str(path),
                    number=number,
                    field=repr(_where(first)),
                    problem=first["msg"],
                )
            ) from exc
        if product.id in seen:
            raise ProductFileError(
                Text(
                    "%(path)s line %(number)s: field 'id': %(id)s is already on line %(first)s",
                    path=str(path),
                    number=number,
                    id=repr(product.id),
                    first=seen[product.id],
                )
            )
        seen[product.id] = number
        products.append(product)
        if len(products) > MAX_PRODUCTS:
            raise ProductFileError(
                Text("%(path)s: more than %(most)s products", path=str(path), most=MAX_PRODUCTS)
            )
    if not products:
        raise ProductFileError(
            Text("%(path)s: no products (one JSON object a line)", path=str(path))
        )
    return products


def _read_glossary(path: Path) -> Glossary:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ProductFileError(
            Text("cannot read %(path)s: %(problem)s", path=str(path), problem=str(exc))
        ) from exc
    except yaml.YAMLError as exc:
        raise ProductFileError(
            Text("%(path)s: not valid YAML or JSON: %(problem)s", path=str(path), problem=str(exc))
        ) from exc
    try:
        return Glossary.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ProductFileError(
            Text(
                "%(path)s: field %(field)s: %(problem)s",
                path=str(path),
                field=repr(_where(first)),
                problem=first["msg"],
            )
        ) from exc


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _languages(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        market, sep, language = pair.partition("=")
        if not sep or not market.strip() or not language.strip():
            raise ProductFileError(
                Text("--language %(pair)s: write MARKET=LANGUAGE, e.g. CH=fr", pair=repr(pair))
            )
        out[market.strip().upper()] = language.strip()
    return out


def _workspace_packs(workspace: str, *, as_json: bool) -> tuple[int | None, list]:
    from tradewinds.cli.context import resolve_workspace
    from tradewinds.compliance.user_packs import enabled_user_packs
    from tradewinds.db.engine import session_scope
    from tradewinds.errors import TradewindsError

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, workspace)
            return ws.id, enabled_user_packs(session=session, workspace_id=ws.id)
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    return None, []


def _pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (CJK headers take two columns each)."""
    gap = " " * max(width - length(text, "width"), 0)
    return gap + text if right else text + gap


def print_table(result: GenerationResult) -> None:
    """The variants as a readable table: where, how long against the limit, the copy."""
    typer.echo(
        " ".join(
            [
                _pad(_("product"), 12),
                _pad(_("market"), 6),
                _pad(_("ad field"), 13),
                _pad(_("length / limit"), 16, right=True),
                _pad(_("check"), 7),
                _("ad copy"),
            ]
        )
    )
    for v in result.variants:
        count = f"{v.length}/{v.limit} {v.unit}"
        typer.echo(
            f"{v.product_id[:12]:12} {v.market:6} {v.field[:13]:13} {count:>16} "
            f"{v.verdict:7} {v.text}"
        )
    if result.dropped:
        typer.echo("")
        typer.echo(_("Dropped candidates:"))
        for d in result.dropped:
            typer.echo(f"  {d.product_id[:12]:12} {d.market:6} {d.field[:13]:13} {d.reason}")
    typer.echo("")
    typer.echo(
        _(
            "variants: %(variants)s, dropped: %(dropped)s",
            variants=len(result.variants),
            dropped=len(result.dropped),
        )
    )


@group.command(
    "generate",
    help=_(
        "Generate copy with the built-in templates; each variant fits its field "
        "and passed the compliance check (with the workspace's own rule packs "
        "when --workspace is given)."
    ),
)
def generate_command(
    product_file: Path = typer.Option(
        ...,
        "--product-file",
        help=_("JSON lines {id,title,price,currency,attributes,category,brand}"),
    ),
    markets: list[str] = typer.Option(..., "--markets", "-m", help=_("markets, e.g. DE,JP,US")),
    platform: str = typer.Option(..., "--platform", "-p", help=_("google, meta, tiktok or amazon")),
    field: list[str] = typer.Option(
        ..., "--field", "-f", help=_("fields, e.g. headline,description (repeatable)")
    ),
    n: int = typer.Option(
        5, "--n", min=1, max=20, help=_("variants per product, market and field")
    ),
    tone: str = typer.Option(
        "neutral", "--tone", help=_("neutral, friendly, premium, urgent, playful")
    ),
    glossary: Path = typer.Option(
        None, "--glossary", help=_("YAML/JSON {keep, preferred, banned}")
    ),
    language: list[str] = typer.Option(
        [], "--language", help=_("MARKET=LANGUAGE to write a market in another language")
    ),
    today: str = typer.Option(None, "--today", help=_("count holidays from this day (YYYY-MM-DD)")),
    backend: str = typer.Option(
        "template",
        "--backend",
        help=_("template (built in) or llm (the workspace's, see `llm set`)"),
    ),
    workspace: str | None = OptionalWorkspace,
    as_json: bool = JsonOption,
) -> None:
    """Generate copy with the built-in templates; each variant fits its field and passed
    the compliance check (with the workspace's own rule packs when --workspace is given)."""
    from tradewinds.content.backends import backend_for
    from tradewinds.content.engine import GenerationError, generate
    from tradewinds.errors import TradewindsError

    try:
        if str(product_file) == "-":
            lines = sys.stdin.read().splitlines()
        else:
            lines = product_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        fail(
            Text("cannot read %(path)s: %(problem)s", path=str(product_file), problem=str(exc)),
            as_json=as_json,
            code="io_error",
        )
    try:
        products = read_products(product_file, lines)
        words = _read_glossary(glossary) if glossary is not None else Glossary()
        overrides = _languages(language)
        day = date.fromisoformat(today) if today else None
    except ProductFileError as exc:
        fail(exc.args[0], as_json=as_json, code="invalid_input")
    except ValueError as exc:
        fail(
            Text("--today %(value)s: %(problem)s", value=repr(today), problem=str(exc)),
            as_json=as_json,
            code="usage",
        )
    try:
        request = GenerationRequest(
            products=products,
            markets=_split(markets),
            platform=platform,
            fields=_split(field),
            n=n,
            tone=tone,  # type: ignore[arg-type]
            glossary=words,
            languages=overrides,
            today=day,
            backend=backend,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"{_where(first)}: {first['msg']}", as_json=as_json, code="usage")
    workspace_id, extra = _workspace_packs(workspace, as_json=as_json) if workspace else (None, [])
    try:
        with backend_for(request, workspace_id) as chosen:
            result = generate(request, backend=chosen, extra_packs=extra)
    except GenerationError as exc:
        fail(str(exc), as_json=as_json, code="usage")
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    print_table(result)


def register(app: typer.Typer) -> None:
    from tradewinds.cli.content_verify import add_commands

    add_commands(group)  # `content verify`
    app.add_typer(group, name="content")
