"""Shared output helpers: every result-printing command accepts --json."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import typer

from tradewinds.cli.language import gettext as _
from tradewinds.cli.language import translate

JsonOption = typer.Option(False, "--json", help=_("print the result as JSON"))


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, default=_default, ensure_ascii=False) + "\n")


def fail(message: str, *, as_json: bool = False, code: str = "error", exit_code: int = 1) -> None:
    """Print an error (as JSON on stdout with --json, in English; else on stderr in the
    command's language, see ``cli/language.py``) and exit."""
    if as_json:
        emit_json({"error": {"code": code, "message": message}})
    else:
        typer.echo(_("error: %(message)s", message=translate(message)), err=True)
    raise typer.Exit(exit_code)
