"""Registration thresholds for sellers from abroad, as data
(``data/registration_thresholds.yaml``, each with its cited source)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

DATA = Path(__file__).resolve().parent / "data" / "registration_thresholds.yaml"


class Threshold(BaseModel):
    """A registration threshold for sellers from abroad (validated from the YAML file)."""

    country: str = Field(pattern=r"^[A-Z]{2}$|^EU$")
    name: str
    amount: Decimal = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    window: Literal["calendar_year", "rolling_12_months"]
    source: str
    note: str = ""


@lru_cache(maxsize=1)
def thresholds() -> tuple[Threshold, ...]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return tuple(Threshold.model_validate(item) for item in raw["thresholds"])
