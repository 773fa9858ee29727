"""The `tradewinds` command.

Every module in this package that defines ``register(app: typer.Typer)`` is discovered
and asked to add its commands, so a capability adds its command group by adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

import tradewinds.cli as cli_pkg
from tradewinds.cli.language import gettext as _

app = typer.Typer(
    name="tradewinds",
    help=_("Tradewinds: marketing data, attribution, ad-copy compliance and customers."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(cli_pkg.__path__), key=lambda m: m.name):
        if info.name in {"main", "output", "language"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{cli_pkg.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(app)


_register_all()

if __name__ == "__main__":
    app()
