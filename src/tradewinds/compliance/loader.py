"""Read rule packs from YAML, keeping line numbers so a bad pack says where it is wrong.

A problem's reason is a :class:`~tradewinds.i18n_markers.Text` (the English sentence,
translated where it is shown) for the loader's own checks and pydantic's usual complaints;
any other pydantic message stays as pydantic words it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError

from tradewinds.compliance.models import RulePack
from tradewinds.i18n_markers import Text

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class PackProblem:
    line: int | None  # 1-based
    location: str
    reason: str  # a Text where the loader or pydantic words it in a known way

    def text(self) -> Text:
        """The problem as one sentence (``line 7 (rules.0.severity): …``)."""
        if self.line and self.location:
            return Text(
                "line %(line)s (%(location)s): %(reason)s",
                line=str(self.line),
                location=self.location,
                reason=self.reason,
            )
        if self.line:
            return Text("line %(line)s: %(reason)s", line=str(self.line), reason=self.reason)
        if self.location:
            return Text(
                "pack (%(location)s): %(reason)s", location=self.location, reason=self.reason
            )
        return Text("pack: %(reason)s", reason=self.reason)

    def __str__(self) -> str:
        return str.__str__(self.text())


class PackError(ValueError):
    """A rule pack that cannot be used, with every problem found and its line."""

    def __init__(self, problems: list[PackProblem], *, source: str = "rule pack") -> None:
        self.problems = problems
        self.source = source
        super().__init__(f"{source}: " + "; ".join(str(p) for p in problems))


def _construct(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    """Build plain Python data from a YAML node, recording the line of every path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # keys are always text: YAML 1.1 would read a key like `on:` as a boolean
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                line = key_node.start_mark.line + 1
                raise PackError([PackProblem(line, "", Text("keys must be text"))])
            if key in result:
                problem = PackProblem(
                    key_node.start_mark.line + 1,
                    _dotted(path),
                    Text("duplicate key '%(key)s'", key=key),
                )
                raise PackError([problem])
            result[key] = _construct(value_node, (*path, key), lines)
            # a problem with a value is reported on the line of its key
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), lines) for i, item in enumerate(node.value)]
    return _scalar(node)


_SCALAR_LOADER = yaml.SafeLoader("")
_KINDS = {"terms", "regex", "length", "caps", "disclosure", "pii", "profanity"}


def _scalar(node: yaml.ScalarNode) -> Any:
    return _SCALAR_LOADER.construct_object(node, deep=True)


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _line_for(loc: Path_, lines: dict[Path_, int]) -> int | None:
    for size in range(len(loc), -1, -1):
        line = lines.get(tuple(loc[:size]))
        if line is not None:
            return line
    return None


def parse_pack(text: str, *, source: str = "rule pack") -> RulePack:
    """Parse and validate one pack; raise PackError listing line and reason of each problem."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = PackProblem(line, "", Text("YAML syntax: %(problem)s", problem=str(exc.problem)))
        raise PackError([problem], source=source) from exc
    except yaml.YAMLError as exc:
        problem = PackProblem(None, "", Text("YAML: %(problem)s", problem=str(exc)))
        raise PackError([problem], source=source) from exc
    if node is None:
        raise PackError([PackProblem(1, "", Text("the pack is empty"))], source=source)
    lines: dict[Path_, int] = {}
    try:
        data = _construct(node, (), lines)
    except PackError as exc:
        raise PackError(exc.problems, source=source) from None
    try:
        return RulePack.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            # pydantic puts the rule kind after the index ('rules', 3, 'regex', 'pattern')
            if len(loc) >= 3 and loc[0] == "rules" and isinstance(loc[1], int) and loc[2] in _KINDS:
                loc = (*loc[:2], *loc[3:])
            problems.append(PackProblem(_line_for(loc, lines), _dotted(loc), _reason(error)))
        raise PackError(problems, source=source) from None


def _pydantic_text(error: Any) -> Text | None:
    """Pydantic's usual complaints about a pack, as sentences the catalogs translate."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error":
        inner = ctx.get("error")
        reason = inner.args[0] if isinstance(inner, ValueError) and inner.args else None
        # the models' own checks raise ValueError(Text(...)); pydantic writes "Value error, …"
        return Text("Value error, %(reason)s", reason=reason) if isinstance(reason, Text) else None
    if kind == "missing":
        return Text("Field required")
    if kind == "extra_forbidden":
        return Text("Extra inputs are not permitted")
    if kind == "literal_error":
        return Text("Input should be %(expected)s", expected=str(ctx.get("expected", "")))
    return None


def _reason(error: Any) -> str:
    """A pydantic error's reason: a Text where it reads exactly as pydantic words it (so the
    English stays as it was), else pydantic's own words."""
    text = _pydantic_text(error)
    return text if text is not None and str.__str__(text) == error["msg"] else error["msg"]


@lru_cache(maxsize=1)
def builtin_packs() -> dict[str, RulePack]:
    """Every pack shipped in ``compliance/rulepacks/``, by id."""
    packs: dict[str, RulePack] = {}
    folder = resources.files("tradewinds.compliance") / "rulepacks"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            pack = parse_pack(entry.read_text(encoding="utf-8"), source=entry.name)
            if pack.id in packs:
                problem = PackProblem(None, "id", Text("duplicate pack id '%(id)s'", id=pack.id))
                raise PackError([problem], source=entry.name)
            packs[pack.id] = pack
    return packs
