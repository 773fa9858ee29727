"""Typer's and its vendored click's own words (the help screen's frame, the usage errors)
in the command's language, from the same catalogs (``cli/toolkit_messages.py`` lists them).

This reaches into Typer's internals (``typer.core._main``, ``typer._click``): the version
is pinned in ``pyproject.toml``, and ``tests/cli/test_toolkit_language.py`` fails when an
upgrade moves a message or a hook, so it is found before it ships.
"""

from __future__ import annotations

import functools
import gettext as stdlib_gettext
import re
import sys
from collections.abc import Callable
from typing import Any

from tradewinds.cli import toolkit_messages
from tradewinds.cli.language import chosen
from tradewinds.i18n_markers import translations

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_installed = False


def toolkit_gettext(message: str) -> str:
    """One of Typer's messages (``toolkit_messages``) in the command's language."""
    code = chosen()
    return message if code == "en" else translations(code).gettext(message)


def toolkit_ngettext(singular: str, plural: str, n: int) -> str:
    code = chosen()
    if code == "en":
        return singular if n == 1 else plural
    return translations(code).ngettext(singular, plural, n)


@functools.cache
def _error_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each error message of the toolkit as a pattern of its English (``Missing option
    (?P<param_hint>.+?)\\.``): those that begin with their own words first ("Value error,
    'x' is not one of …" is a reason wrapped, not a value), then the most specific."""
    found = []
    for msgid in toolkit_messages.ERRORS:
        parts = _FIELD.split(msgid)  # text, name, text, name, …, text
        pattern = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        order = (parts[0] == "", -len("".join(parts[::2])))
        found.append((order, msgid, re.compile(pattern, re.DOTALL)))
    found.sort(key=lambda item: item[0])
    return tuple((msgid, pattern) for _, msgid, pattern in found)


def toolkit_text(text: str, code: str | None = None) -> str:
    """A message the toolkit wrote in English (an error, a value's reason) in the command's
    language; text that is none of ``toolkit_messages.ERRORS`` as it is."""
    code = chosen() if code is None else code
    if code == "en":
        return text
    return _toolkit_text(text, translations(code))


def _toolkit_text(text: str, catalog: stdlib_gettext.NullTranslations) -> str:
    for msgid, pattern in _error_patterns():
        found = pattern.fullmatch(text)
        if found is None:
            continue
        values = found.groupdict()
        if "message" in values:  # a reason of its own ("Invalid value for '--x': …")
            values["message"] = _toolkit_text(values["message"], catalog)
            if "{message}." in msgid:  # the toolkit took its full stop off; so do we
                values["message"] = values["message"].rstrip(".。")
        return _FIELD.sub(functools.partial(_value, values), catalog.gettext(msgid))
    return text


def _value(values: dict[str, str], field: re.Match[str]) -> str:
    return values.get(field[1], field[0])


def set_toolkit_constants() -> None:
    """``typer.rich_utils``' constants (the panels' titles, ``[required]``, …) in the
    command's language; the usage line's translated prefix highlighted as "Usage: " is."""
    from typer import rich_utils

    for name, msgid in toolkit_messages.RICH_UTILS_CONSTANTS.items():
        setattr(rich_utils, name, toolkit_gettext(msgid))
    usage = toolkit_gettext(toolkit_messages.USAGE)
    highlighter = rich_utils.highlighter
    if usage == toolkit_messages.USAGE:
        highlighter.__dict__.pop("highlights", None)
    else:
        pattern = rf"(?P<usage>{re.escape(usage)} )"
        highlighter.highlights = [*type(highlighter).highlights, pattern]


def install_toolkit_translations() -> None:
    """Have Typer (and its vendored click) speak the command's language, chosen when each
    message is shown (``CliRunner(env=…)`` changes it between invocations):

    * the modules that take their words through the standard library's gettext
      (``typer.core``, ``typer.rich_utils``) get our catalogs' ``_`` and ``ngettext``;
    * ``rich_utils``' constants are set again as each invocation starts (``typer.core._main``
      runs every command's and group's ``main``);
    * the words written as literals: the usage line's prefix, the help of ``--help`` and of
      the completion options, and the errors' messages (``format_message``), matched as
      written (``toolkit_messages.ERRORS``).

    English output is unchanged. Call it once, before the app runs; again is harmless."""
    global _installed
    set_toolkit_constants()
    if _installed:
        return
    import typer.core
    import typer.exceptions
    import typer.rich_utils
    from typer._click import core as click_core
    from typer._click import exceptions as click_exceptions
    from typer._click import formatting

    for name, module in list(sys.modules.items()):
        if name != "typer" and not name.startswith("typer."):
            continue
        if getattr(module, "_", None) is stdlib_gettext.gettext:
            module._ = toolkit_gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is stdlib_gettext.ngettext:
            module.ngettext = toolkit_ngettext  # type: ignore[attr-defined]

    typer.core._main = _before(typer.core._main, set_toolkit_constants)  # type: ignore[attr-defined]

    write_usage = formatting.HelpFormatter.write_usage

    def usage_in_language(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = f"{toolkit_gettext(toolkit_messages.USAGE)} "
        write_usage(self, prog, args, prefix)

    formatting.HelpFormatter.write_usage = usage_in_language  # type: ignore[method-assign]

    get_params = click_core.Command.get_params

    def params_in_language(self: Any, ctx: Any) -> list[Any]:
        params = get_params(self, ctx)
        for param in params:
            english = getattr(param, "_toolkit_help", None)
            if english is None:
                if getattr(param, "help", None) not in toolkit_messages.OPTION_HELP:
                    continue
                english = param._toolkit_help = param.help
            param.help = toolkit_gettext(english)
        return params

    click_core.Command.get_params = params_in_language  # type: ignore[method-assign]

    for module in (typer.exceptions, click_exceptions):
        for value in list(vars(module).values()):
            if isinstance(value, type) and "format_message" in value.__dict__:
                value.format_message = _in_language(value.__dict__["format_message"])
    _installed = True


def _before(function: Callable[..., Any], first: Callable[[], None]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        first()
        return function(*args, **kwargs)

    return wrapper


def _in_language(format_message: Callable[[Any], str]) -> Callable[[Any], str]:
    @functools.wraps(format_message)
    def wrapper(self: Any) -> str:
        text = format_message(self)
        if type(self).__name__ == "NoArgsIsHelpError":  # the help itself, already translated
            return text
        return toolkit_text(text)

    return wrapper
