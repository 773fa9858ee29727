"""The words Typer (and the click it vendors) writes itself, in the command's language.

``tradewinds``' own help and messages are marked where they are written; the help screen's
frame ("Usage:", "Options", "[required]", "Show this message and exit.") and the usage
errors ("Missing option '--country'.", "No such option: --x", "Invalid value for
'--year': …") are the toolkit's. Typer 0.29 words them three ways, and
``cli/language.py`` (``install_toolkit_translations``) routes each to our catalogs:

* ``GETTEXT``: passed to the standard library's gettext (``from gettext import gettext as
  _`` in ``typer/core.py`` and ``typer/rich_utils.py``), which knows nothing of our
  catalogs: we point those modules' ``_`` at them. ``rich_utils`` keeps some as module
  constants evaluated at import (``RICH_UTILS_CONSTANTS``); they are set again for the
  language of each invocation.
* ``WRITTEN``: literals and f-strings in ``typer/_click/*.py`` and ``typer/*.py`` (the
  vendored click no longer calls gettext): the usage line's prefix, the help texts of the
  options Typer adds, and the errors, which are matched as written and put in the
  command's language when shown. A ``{name}`` stands for what the toolkit fills in; each
  entry names the code it stands for.
* ``PYDANTIC``: Typer 0.29 converts option values with pydantic, whose message is the
  reason after "Invalid value for '--year': ".

The message ids are the toolkit's own words, so a Typer (or pydantic) upgrade that rewords
one leaves it in English: ``tests/cli/test_toolkit_language.py`` fails when a message id
(or the code it stands for) is no longer in the installed Typer, or when pydantic words a
reason differently. Update this list and the catalogs then.
"""

from __future__ import annotations

from tradewinds.i18n_markers import N_

#: passed to gettext by ``typer/core.py`` (and ``typer/rich_utils.py``) as written here
GETTEXT = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("(dynamic)"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
    N_("(deprecated) "),
    N_("[default: {}]"),
    N_("[env var: {}]"),
    N_("[required]"),
    N_("Error"),
    N_("Aborted."),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
)

#: ``typer.rich_utils``' constants, evaluated when it is imported: name → message id
RICH_UTILS_CONSTANTS = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}

#: the usage line's prefix (``HelpFormatter.write_usage``), followed by a space
USAGE = N_("Usage:")

#: the help of the options Typer adds to every command (``--help``) and to the root
OPTION_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)

_MISSING = 'f"Missing {param_type}{param_hint}."'
_MISSING_MORE = 'f"Missing {param_type}{param_hint}. {msg}"'
_OPTION = 'param_type_name = "option"'
_ARGUMENT = 'param_type_name = "argument"'
_REQUIRES = 'f"Option {option_name!r} requires {msg}"'
_NOT_FOUND = 'f"{label} {format_filename(value)!r} does not exist."'
_READABLE = 'f"{label} {loc} is not readable."'
_WRITABLE = 'f"{label} {loc} is not writable."'
_FILE, _DIR, _PATH = 'return "file"', 'return "dir"', 'return "path"'

#: written as literals or f-strings: message id → the toolkit's code it stands for
WRITTEN: dict[str, tuple[str, ...]] = {
    USAGE: ('prefix = "Usage: "',),
    OPTION_HELP[0]: ('help="Show this message and exit."',),
    OPTION_HELP[1]: ('help="Install completion for the current shell."',),
    OPTION_HELP[2]: (
        'help="Show completion for the current shell, to copy it or customize the installation."',
    ),
    N_("Missing option {param_hint}."): (_MISSING, _OPTION),
    N_("Missing argument {param_hint}."): (_MISSING, _ARGUMENT),
    N_("Missing option {param_hint}. {message}"): (_MISSING_MORE, _OPTION),
    N_("Missing argument {param_hint}. {message}"): (_MISSING_MORE, _ARGUMENT),
    N_("Choose from:\n\t{choices}"): ('f"Choose from:\\n\\t{choices_str}"',),
    N_("Invalid value for {param_hint}: {message}"): (
        'f"Invalid value for {hint}: {self.message}"',
    ),
    N_("Invalid value: {message}"): ('f"Invalid value: {self.message}"',),
    N_("No such option: {name}"): ('f"No such option: {_escape_control_characters(option_name)}"',),
    N_("No such option: {name} (Possible options: {possibilities})"): (
        'f"(Possible options: {possibility_str})"',
        'f"{self.message} {suggest}"',
    ),
    N_("{message}. Did you mean {suggestions}?"): ('f"{message}. Did you mean {suggestions}?"',),
    N_("Got unexpected extra argument(s) ({args})"): (
        'f"Got unexpected extra argument(s) ({extra_args})"',
    ),
    N_("Option {name} requires an argument."): (_REQUIRES, '"an argument."'),
    N_("Option {name} requires {nargs} arguments."): (_REQUIRES, 'f"{nargs} arguments."'),
    N_("Option {name} does not take a value."): ('f"Option {opt!r} does not take a value."',),
    N_("Argument {name} takes {nargs} values."): (
        'f"Argument {self.dest!r} takes {self.nargs} values."',
    ),
    N_("Could not open file {name}: {message}"): (
        'f"Could not open file {self.ui_filename!r}: {self.message}"',
    ),
    N_("{value} is not one of {choices}."): ('f"{value!r} is not one of {choices_str}."',),
    N_("{value} does not match the formats {formats}."): (
        'f"{value!r} does not match the formats {formats_str}."',
    ),
    # a path option's checks: "file", "dir" or "path" as it takes files, directories or both
    N_("file {name} does not exist."): (_NOT_FOUND, _FILE),
    N_("dir {name} does not exist."): (_NOT_FOUND, _DIR),
    N_("path {name} does not exist."): (_NOT_FOUND, _PATH),
    N_("file {name} is a directory."): ('f"{label} {loc} is a directory."', _FILE),
    N_("dir {name} is a file."): ('f"{label} {loc} is a file."', _DIR),
    N_("file {name} is not readable."): (_READABLE, _FILE),
    N_("dir {name} is not readable."): (_READABLE, _DIR),
    N_("path {name} is not readable."): (_READABLE, _PATH),
    N_("file {name} is not writable."): (_WRITABLE, _FILE),
    N_("dir {name} is not writable."): (_WRITABLE, _DIR),
    N_("path {name} is not writable."): (_WRITABLE, _PATH),
}

#: pydantic's reasons for the values of the types this CLI's options take (int, float, a
#: range, bool, datetime); "Value error, …" wraps a reason Typer's own checks give
PYDANTIC = (
    N_("Value error, {message}"),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be less than or equal to {le}"),
    N_("Input should be greater than or equal to {ge}"),
    N_("Input should be a valid boolean, unable to interpret input"),
    N_("Input should be a valid datetime or date, {error}"),
)

#: the errors' messages, matched as the toolkit writes them; a ``{message}`` in one is a
#: message of its own (a reason), translated in turn
ERRORS = tuple(m for m in WRITTEN if m != USAGE and m not in OPTION_HELP) + PYDANTIC

#: every message id here, for the catalogs' tests
ALL = (*GETTEXT, *WRITTEN, *PYDANTIC)
