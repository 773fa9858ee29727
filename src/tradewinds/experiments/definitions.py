"""Experiment definitions: each experiment's key, name, salt, variations with their weights
and metrics, kept per workspace as versioned YAML (``HOME/experiments/<workspace>.yaml``)
and validated by pydantic.

```yaml
version: 1
experiments:
  - key: free-shipping
    name: Free-shipping banner
    salt: free-shipping-2026      # default: the key
    variations:
      - {key: "0", name: No banner, weight: 0.5}   # the first is the control
      - {key: "1", name: Banner, weight: 0.5}
    metrics: [purchase rate, revenue per unit]
```

A defined experiment is assigned by its key alone (``/api/v1/experiments/assign``), and
its storefront exposures are checked against its weights and read in its variations'
order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from tradewinds.i18n_markers import Text


class DefinitionError(ValueError):
    """A definitions file could not be read; names the file, the place and why."""

    def __init__(self, reason: str, *, file: str = "", where: str = ""):
        self.file, self.where, self.reason = file, where, reason
        prefix = ", ".join(p for p in (file, where) if p)
        super().__init__(f"{prefix}: {reason}" if prefix else reason)


class VariationDefinition(BaseModel):
    key: str = Field(min_length=1, max_length=200)
    name: str = ""
    weight: float = Field(1.0, ge=0)


class ExperimentDefinition(BaseModel):
    key: str = Field(min_length=1, max_length=200)
    name: str = ""
    salt: str | None = Field(None, max_length=200, description="default: the key")
    variations: list[VariationDefinition] = Field(min_length=2)
    metrics: list[str] = Field(default_factory=list)

    @field_validator("variations")
    @classmethod
    def _distinct(cls, value: list[VariationDefinition]) -> list[VariationDefinition]:
        keys = [v.key for v in value]
        if len(set(keys)) != len(keys):
            raise ValueError("variation keys must differ")
        if sum(v.weight for v in value) <= 0:
            raise ValueError("the weights must not all be 0")
        return value

    @property
    def hash_salt(self) -> str:
        return self.key if self.salt is None else self.salt


class DefinitionsPublic(BaseModel):
    version: Literal[1] = 1
    experiments: list[ExperimentDefinition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> DefinitionsPublic:
        keys = [e.key for e in self.experiments]
        if len(set(keys)) != len(keys):
            raise ValueError("experiment keys must differ")
        return self

    def get(self, key: str) -> ExperimentDefinition | None:
        return next((e for e in self.experiments if e.key == key), None)


def parse(text: str, *, name: str = "experiments.yaml") -> DefinitionsPublic:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DefinitionError(Text("not YAML: %(why)s", why=str(exc)), file=name) from None
    try:
        return DefinitionsPublic.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DefinitionError(first["msg"], file=name, where=where) from None


def path_for(workspace_key: str) -> Path:
    from tradewinds.config import get_settings

    folder = get_settings().home_dir / "experiments"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{workspace_key}.yaml"


def load(workspace_key: str) -> DefinitionsPublic:
    """The workspace's definitions (none when it has no file)."""
    path = path_for(workspace_key)
    if not path.exists():
        return DefinitionsPublic()
    return parse(path.read_text(encoding="utf-8"), name=path.name)


def save(workspace_key: str, text: str, *, name: str) -> DefinitionsPublic:
    """Check ``text`` and keep it as the workspace's definitions."""
    parsed = parse(text, name=name)
    path_for(workspace_key).write_text(text, encoding="utf-8")
    return parsed
