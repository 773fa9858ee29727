"""Typer's own words (the help screen's frame, the usage errors) are in the command's
language too, English stays as Typer writes it, and a Typer or pydantic upgrade that
rewords one of ``cli/toolkit_messages.py`` fails here."""

from __future__ import annotations

import enum
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from tradewinds.cli import toolkit_messages
from tradewinds.cli.main import app
from tradewinds.web import i18n, i18n_catalogs

runner = CliRunner()
TYPER = Path(typer.__file__).resolve().parent
NOT_ENGLISH = [language.code for language in i18n.LANGUAGES if language.code != "en"]


def shown(*args: str, lang: str) -> str:
    # TRADEWINDS_WORKSPACE unset, so `import` without --workspace misses it
    env = {"TRADEWINDS_LANG": lang, "TRADEWINDS_WORKSPACE": None, "COLUMNS": "120"}
    return runner.invoke(app, list(args), env=env).output


def test_a_groups_help_is_framed_in_german() -> None:
    help_ = shown("fx", "--help", lang="de")
    assert "Aufruf: tradewinds fx [OPTIONS] COMMAND [ARGS]..." in help_
    assert "─ Optionen ─" in help_ and "─ Befehle ─" in help_
    assert "Diese Hilfe zeigen und beenden." in help_
    for english in ("Usage:", "Options", "Commands", "Show this message and exit."):
        assert english not in help_


def test_a_missing_option_is_said_in_chinese() -> None:
    error = shown("import", "orders.csv", lang="zh_Hans")
    assert "用法: tradewinds import [OPTIONS] {files}..." in error
    assert "运行 'tradewinds import --help' 查看帮助。" in error
    assert "─ 错误 ─" in error
    assert "缺少选项 '--workspace' / '-w'。" in error  # names the option
    assert "Missing option" not in error and "Error" not in error


def test_english_is_as_typer_writes_it() -> None:
    shown("fx", "--help", lang="de")  # another language first: nothing of it stays
    help_ = shown("import", "--help", lang="en")
    assert "Usage: tradewinds import [OPTIONS] {files}..." in help_
    assert "─ Arguments ─" in help_ and "─ Options ─" in help_
    assert "[required]" in help_ and "[default: 0.1]" in help_
    assert "Show this message and exit." in help_
    error = shown("import", "orders.csv", lang="en")
    assert "Try 'tradewinds import --help' for help." in error
    assert "─ Error ─" in error
    assert "Missing option '--workspace' / '-w'." in error
    suggestion = shown("fxx", lang="en")
    assert "No such command 'fxx'. Did you mean 'fx'?" in suggestion


class Colour(enum.StrEnum):
    red = "red"
    blue = "blue"


toy = typer.Typer()


@toy.command()
def one(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False),
    n: int = typer.Option(1, "--n"),
    share: float = typer.Option(0.1, "--share"),
    year: int = typer.Option(2026, "--year", min=1990, max=2100),
    colour: Colour = typer.Option(Colour.red, "--colour"),
    when: datetime = typer.Option(None, "--when"),
    day: datetime = typer.Option(None, "--day", formats=["%Y-%m-%d"]),
    folder: Path = typer.Option(None, "--folder", exists=True, file_okay=False),
    pair: tuple[int, int] = typer.Option((1, 2), "--pair"),
    flag: bool = typer.Option(False, "--flag"),
) -> None:
    pass


@toy.command()
def two(paint: Colour = typer.Option(..., "--paint"), yes: bool = typer.Argument(True)) -> None:
    pass


def toy_error(args: list[str], lang: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TRADEWINDS_LANG", lang)
    with pytest.raises(typer.main._click.exceptions.ClickException) as raised:
        typer.main.get_command(toy).main(args, prog_name="toy", standalone_mode=False)
    return raised.value.format_message()


FILE = __file__

# Typer's and pydantic's errors as a German reader sees them; English when one is reworded
ERRORS = [
    (["one"], "Das Argument 'files' fehlt."),
    (["two"], "Die Option '--paint' fehlt. Zur Auswahl stehen:\n\tred,\n\tblue"),
    (["one", FILE, "--n", "x"], "Ungültiger Wert für '--n': Erwartet wird eine ganze Zahl."),
    (["one", FILE, "--share", "x"], "Ungültiger Wert für '--share': Erwartet wird eine Zahl."),
    (
        ["one", FILE, "--year", "2101"],
        "Ungültiger Wert für '--year': Der Wert darf höchstens 2100 sein.",
    ),
    (
        ["one", FILE, "--year", "1989"],
        "Ungültiger Wert für '--year': Der Wert muss mindestens 1990 sein.",
    ),
    (
        ["one", FILE, "--colour", "green"],
        "Ungültiger Wert für '--colour': 'green' ist nicht zulässig; möglich sind 'red', 'blue'.",
    ),
    (
        ["one", FILE, "--when", "soon"],
        "Ungültiger Wert für '--when': "
        "Erwartet wird ein Datum oder ein Zeitpunkt (input is too short).",
    ),
    (
        ["one", FILE, "--day", "soon"],
        "Ungültiger Wert für '--day': 'soon' passt zu keinem der Formate '%Y-%m-%d'.",
    ),
    (
        ["two", "--paint", "red", "perhaps"],
        "Ungültiger Wert für 'yes': Erwartet wird ein Wahrheitswert (true/false, yes/no, 1/0).",
    ),
    (
        ["one", "/no/such/file"],
        "Ungültiger Wert für 'files': Die Datei '/no/such/file' gibt es nicht.",
    ),
    (
        ["one", str(TYPER)],
        f"Ungültiger Wert für 'files': {str(TYPER)!r} ist ein Verzeichnis, keine Datei.",
    ),
    (
        ["one", FILE, "--folder", FILE],
        f"Ungültiger Wert für '--folder': {FILE!r} ist eine Datei, kein Verzeichnis.",
    ),
    (
        ["one", FILE, "--folder", "/no/such"],
        "Ungültiger Wert für '--folder': Das Verzeichnis '/no/such' gibt es nicht.",
    ),
    (["one", FILE, "--colr", "red"], "Unbekannte Option: --colr (möglich: --colour, --folder)"),
    (["one", FILE, "--zzz"], "Unbekannte Option: --zzz"),
    (["one", FILE, "--n"], "Die Option '--n' braucht einen Wert."),
    (["one", FILE, "--pair", "1"], "Die Option '--pair' braucht 2 Werte."),
    (["one", FILE, "--flag=yes"], "Die Option '--flag' nimmt keinen Wert an."),
    (["two", "--paint", "red", "yes", "more"], "Unerwartete zusätzliche Argumente: more"),
    (["thre"], "Einen Befehl 'thre' gibt es nicht."),
    (["on"], "Einen Befehl 'on' gibt es nicht. Meinten Sie 'one'?"),
]


@pytest.mark.parametrize(("args", "german"), ERRORS, ids=[" ".join(a[:3]) for a, _ in ERRORS])
def test_typers_and_pydantics_errors_are_translated(args, german, monkeypatch) -> None:
    assert toy_error(args, "de", monkeypatch) == german


def test_an_error_stays_english_in_english(monkeypatch) -> None:
    assert toy_error(["one", FILE, "--year", "x"], "en", monkeypatch) == (
        "Invalid value for '--year': Input should be a valid integer, unable to parse string "
        "as an integer"
    )
    assert toy_error(["on"], "en", monkeypatch) == "No such command 'on'. Did you mean 'one'?"


def test_a_suggestion_reads_well_after_a_chinese_full_stop(monkeypatch) -> None:
    assert toy_error(["on"], "zh_Hans", monkeypatch) == "没有 'on' 这个命令。你是不是想用 'one'？"


def test_aborting_is_said_in_the_commands_language() -> None:
    aborting = typer.Typer()

    @aborting.command()
    def stop() -> None:
        raise typer.Abort()

    assert (
        runner.invoke(aborting, [], env={"TRADEWINDS_LANG": "fr"}).output.strip() == "Interrompu."
    )
    assert runner.invoke(aborting, [], env={"TRADEWINDS_LANG": "en"}).output.strip() == "Aborted."


def typer_source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(TYPER.rglob("*.py")))


@pytest.mark.parametrize("msgid", toolkit_messages.GETTEXT)
def test_typer_still_passes_each_message_to_gettext(msgid: str) -> None:
    assert f'_("{msgid}")' in typer_source(), (
        f"Typer no longer says {msgid!r}: update toolkit_messages"
    )


@pytest.mark.parametrize("name", toolkit_messages.RICH_UTILS_CONSTANTS)
def test_typers_rich_constants_are_still_these(name: str) -> None:
    source = (TYPER / "rich_utils.py").read_text(encoding="utf-8")
    msgid = toolkit_messages.RICH_UTILS_CONSTANTS[name]
    assert f'{name} = _("{msgid}")' in source
    assert msgid in toolkit_messages.GETTEXT


@pytest.mark.parametrize("msgid", toolkit_messages.WRITTEN)
def test_typer_still_writes_each_message(msgid: str) -> None:
    source = typer_source()
    for fragment in toolkit_messages.WRITTEN[msgid]:
        assert fragment in source, (
            f"Typer no longer writes {fragment} ({msgid!r}): update toolkit_messages"
        )


# an error that gives each of pydantic's reasons (``toolkit_messages.PYDANTIC``)
REASONS = {
    "Value error, {message}": ["one", FILE, "--colour", "green"],
    "Input should be a valid integer, unable to parse string as an integer": [
        "one",
        FILE,
        "--n",
        "x",
    ],
    "Input should be a valid number, unable to parse string as a number": [
        "one",
        FILE,
        "--share",
        "x",
    ],
    "Input should be less than or equal to {le}": ["one", FILE, "--year", "2101"],
    "Input should be greater than or equal to {ge}": ["one", FILE, "--year", "1989"],
    "Input should be a valid boolean, unable to interpret input": [
        "two",
        "--paint",
        "red",
        "perhaps",
    ],
    "Input should be a valid datetime or date, {error}": ["one", FILE, "--when", "soon"],
}


def test_each_pydantic_reason_has_an_error_that_gives_it() -> None:
    assert set(REASONS) == set(toolkit_messages.PYDANTIC)


@pytest.mark.parametrize("msgid", REASONS)
def test_pydantic_still_words_each_reason_so(msgid: str, monkeypatch) -> None:
    reason = toy_error(REASONS[msgid], "en", monkeypatch).split(": ", 1)[1]
    parts = re.split(r"\{[a-z_]+\}", msgid)
    pattern = ".+?".join(re.escape(part) for part in parts)
    assert re.fullmatch(pattern, reason, re.DOTALL), f"pydantic now says {reason!r}"


MARKS = re.compile(r"\{[A-Za-z_0-9]*(?:![rsa])?\}|\[/\]|\[(?:blue|bold|dim|red)\]|\n|\t")


@pytest.mark.parametrize("code", NOT_ENGLISH)
def test_each_toolkit_message_is_translated_with_its_placeholders(code: str) -> None:
    catalog = i18n_catalogs.read(code)
    for msgid in toolkit_messages.ALL:
        message = catalog.get(msgid)
        assert message is not None and message.string, f"{code}: {msgid!r} not translated"
        assert Counter(MARKS.findall(message.string)) == Counter(MARKS.findall(msgid)), (
            f"{code}: {msgid!r} → {message.string!r}"
        )
