"""The `tradewinds` command.

Every module in this package that defines ``register(app: typer.Typer)`` is discovered
and asked to add its commands, so a capability adds its command group by adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer
import typer.core

import tradewinds.cli as cli_pkg
from tradewinds.cli.language import gettext as _
from tradewinds.cli.toolkit_language import install_toolkit_translations


def _flag_type(original):  # noqa: ANN001, ANN202 - wraps typer's own method
    def display_type_rich(self: typer.core.TyperOption, ctx):  # noqa: ANN001, ANN202
        # A flag takes no value: the rich help shows no type for it (typer prints <bool>)
        if getattr(self, "is_flag", False) and self.metavar is None:
            return None
        return original(self, ctx)

    return display_type_rich


typer.core.TyperOption.display_type_rich = _flag_type(  # type: ignore[method-assign]
    typer.core.TyperOption.display_type_rich
)

install_toolkit_translations()  # Typer's own words in the command's language

app = typer.Typer(
    name="tradewinds",
    help=_("Tradewinds: marketing data, attribution, ad-copy compliance and customers."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(cli_pkg.__path__), key=lambda m: m.name):
        if info.name in {"main", "output", "language", "toolkit_language"} or info.name.startswith(
            "_"
        ):
            continue
        module = importlib.import_module(f"{cli_pkg.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(app)


_register_all()

if __name__ == "__main__":
    app()
