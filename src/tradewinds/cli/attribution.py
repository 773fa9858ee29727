"""`tradewinds attribution …`: multi-touch attribution from path files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tradewinds.attribution.models.catalog import MODEL_NAMES, ModelSettings
from tradewinds.attribution.pathfile import PathFileError
from tradewinds.attribution.service import attribute_path_file, credit_payload
from tradewinds.cli.output import JsonOption, emit_json, fail

group = typer.Typer(help="Multi-touch attribution: which channels earned the conversions.")


def _check_model(model: str) -> str:
    if model not in MODEL_NAMES:
        raise typer.BadParameter(f"choose one of {', '.join(MODEL_NAMES)}")
    return model


@group.command("paths")
def paths_command(
    file: Annotated[Path, typer.Argument(help="path file: path;total_conversions;...")],
    model: Annotated[
        str,
        typer.Option(
            "--model", help=f"one of {', '.join(MODEL_NAMES)}", callback=_check_model
        ),
    ] = "markov",
    order: Annotated[int, typer.Option("--order", min=1, max=4, help="Markov order")] = 1,
    sep: Annotated[str, typer.Option("--sep", help="field separator of the file")] = ";",
    path_sep: Annotated[str, typer.Option("--path-sep", help="separator between channels")] = ">",
    half_life: Annotated[
        float | None,
        typer.Option("--half-life", help="time decay: days, or touches when the file has no times"),
    ] = None,
    first: Annotated[float, typer.Option("--first", help="position: share of first touch")] = 0.4,
    last: Annotated[float, typer.Option("--last", help="position: share of last touch")] = 0.4,
    shapley: Annotated[
        str, typer.Option("--shapley", help="exact | simplified | ordered")
    ] = "exact",
    worth: Annotated[
        str, typer.Option("--worth", help="Shapley coalition worth: conversions | conversion_rate")
    ] = "conversions",
    collapse_repeats: Annotated[
        bool, typer.Option("--collapse-repeats", help="merge consecutive touches of one channel")
    ] = False,
    as_json: bool = JsonOption,
) -> None:
    """Attribute a ChannelAttribution-style path file with one model."""
    if len(sep) != 1:
        fail("--sep must be a single character", as_json=as_json, code="bad_option")
    if shapley not in ("exact", "simplified", "ordered"):
        fail("--shapley must be exact, simplified or ordered", as_json=as_json, code="bad_option")
    if worth not in ("conversions", "conversion_rate"):
        fail("--worth must be conversions or conversion_rate", as_json=as_json, code="bad_option")
    settings = ModelSettings(
        order=order,
        half_life=half_life,
        position_first=first,
        position_last=last,
        shapley_variant=shapley,  # type: ignore[arg-type]
        shapley_worth=worth,  # type: ignore[arg-type]
    )
    try:
        credit = attribute_path_file(
            file=file,
            model=model,
            settings=settings,
            sep=sep,
            path_sep=path_sep,
            collapse_repeats=collapse_repeats,
        )
    except PathFileError as exc:
        fail(str(exc), as_json=as_json, code="bad_input")
    except ValueError as exc:
        fail(str(exc), as_json=as_json, code="bad_option")
    if as_json:
        emit_json(credit_payload(credit))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{model} attribution of {file.name}")
    table.add_column("channel")
    table.add_column("conversions", justify="right")
    table.add_column("value", justify="right")
    for row in credit.as_rows():
        table.add_row(str(row["channel"]), f"{row['conversions']:,.2f}", f"{row['value']:,.2f}")
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="attribution")
