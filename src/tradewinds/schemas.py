"""The base of every ``XPublic`` schema: what the API answers, the CLI prints with ``--json``
and the pages read.

Services hand over dicts, dataclasses and numpy/pandas values; a ``PublicModel`` turns them
into plain JSON values on the way in (numpy scalars → int/float, a non-finite float or
``pd.NA`` → null, a timestamp → ISO text, ``Decimal`` → float, as the API has always
answered), so the same figures reach every edge in the same shape.

A report's answer (``ReportPublic``) may lose its money fields for a role without
``finance.read`` (``auth.access.Grant.strip``): those fields are optional in its schema, and
``hidden`` / ``reason`` say what was left out. Fields a service leaves out are left out of
the answer too (``public()`` dumps only the fields that were given), so an answer keeps the
keys it always had.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


def plain(value: Any) -> Any:
    """``value`` with numpy/pandas scalars, Decimals and dataclasses as plain JSON values."""
    if isinstance(value, BaseModel):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(vars(value))
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return _scalar(value)
    if isinstance(value, bool | str | int | date) or value is None:
        return value
    return _scalar(value)


def _scalar(value: Any) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp | datetime):
        return None if value is pd.NaT else value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


class PublicModel(BaseModel):
    """A schema of data the edges hand out (see the module's docstring)."""

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _plain_values(cls, data: Any) -> Any:
        return plain(data)

    def public(self) -> Any:
        """The JSON value of this answer, as the API sends it."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    @classmethod
    def of(cls, data: Any) -> Self:
        return cls.model_validate(data)


class ReportPublic(PublicModel):
    """A report: a role without finance.read gets it without its money fields."""

    hidden: list[str] | None = Field(
        default=None,
        description="the money fields left out of this answer (a role without finance.read)",
    )
    reason: str | None = Field(
        default=None, description="why they were left out, e.g. 'needs finance.read'"
    )
