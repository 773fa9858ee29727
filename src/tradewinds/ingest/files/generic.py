"""Any CSV/XLSX table, read through a YAML mapping file.

A mapping names the target (``orders`` — one row per line item, building orders, lines,
customers and products — or ``ad_spend_daily``), which column feeds which field, and what
the file does not say (currency, time zone, decimal mark, date order). Mappings shipped in
``tradewinds/ingest/mappings/`` are recognised from the file header like built-in formats;
a user's own mapping is given with ``--mapping FILE``. See docs/importing.md.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd
import pyarrow.compute as pc
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tradewinds.i18n_markers import Text
from tradewinds.ingest import parsing
from tradewinds.ingest.files.ad_rows import ad_spend_frame, country_code, device_name
from tradewinds.ingest.files.base import Cells, FileFormat, ImportOptions, Parsed
from tradewinds.ingest.files.order_rows import TABLES as ORDER_TABLES
from tradewinds.ingest.files.order_rows import build_orders, prefixed
from tradewinds.ingest.files.reading import RawFile, Sample, norm, read_table
from tradewinds.ingest.spec import FileError

SHIPPED = Path(__file__).resolve().parent.parent / "mappings"

ORDER_TEXT = (
    "order_id",
    "customer_id",
    "country",
    "status",
    "sku",
    "product_id",
    "title",
    "vendor",
    "email",
    "phone",
    "first_name",
    "last_name",
    "address1",
    "address2",
    "city",
    "region",
    "postal_code",
)
ORDER_MONEY = ("unit_price", "order_total", "subtotal", "shipping", "tax", "discount", "refunded")
ORDER_FIELDS = {*ORDER_TEXT, *ORDER_MONEY, "ordered_at", "quantity", "currency", "line_no"}
AD_TEXT = (
    "account_id",
    "account_name",
    "campaign_id",
    "campaign_name",
    "ad_group_id",
    "ad_group_name",
    "ad_id",
    "ad_name",
    "country",
    "device",
)
AD_FIELDS = {
    *AD_TEXT,
    "date",
    "impressions",
    "clicks",
    "spend",
    "conversions",
    "conversion_value",
    "currency",
}
REQUIRED = {
    "orders": {"order_id", "ordered_at", "quantity", "unit_price"},
    "ad_spend_daily": {"date", "spend"},
}


class FieldSource(BaseModel):
    """Where a field's value comes from: a column (optionally cleaned) or a constant."""

    model_config = ConfigDict(extra="forbid")
    column: str | None = None
    constant: str | None = None
    strip_suffix: str | None = Field(None, description="e.g. '.0' for ids saved as floats")

    @model_validator(mode="after")
    def one_source(self) -> FieldSource:
        if (self.column is None) == (self.constant is None):
            raise ValueError("give exactly one of column or constant")
        return self


class Mapping(BaseModel):
    """A YAML mapping file, validated."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    target: Literal["orders", "ad_spend_daily"]
    storefront: str | None = Field(None, description="orders: e.g. 'online_retail'")
    platform: str | None = Field(None, description="ad spend: e.g. 'pinterest'")
    detect: list[str] = Field(default_factory=list, description="header columns that identify it")
    header_row: int = Field(1, ge=1, description="1-based line of the header")
    delimiter: str | None = None
    decimal: Literal[".", ","] | None = Field(None, description="decimal mark; None = from data")
    date_order: Literal["dmy", "mdy", "ymd"] | None = None
    timestamp_format: str | None = Field(None, description="strptime format, None = ISO 8601")
    timezone: str = "UTC"
    currency: str | None = Field(None, description="ISO 4217 when the file has no column")
    refund_prefix: str | None = Field(None, description="order ids starting so are refunds")
    fields: dict[str, FieldSource]

    @field_validator("fields", mode="before")
    @classmethod
    def short_form(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: ({"column": v} if isinstance(v, str) else v) for k, v in value.items()}
        return value

    @field_validator("currency")
    @classmethod
    def iso_currency(cls, value: str | None) -> str | None:
        return None if value is None else parsing.validate_currency(value)

    @field_validator("timezone")
    @classmethod
    def known_zone(cls, value: str) -> str:
        parsing.zone(value)
        return value

    @model_validator(mode="after")
    def fields_fit_target(self) -> Mapping:
        allowed = ORDER_FIELDS if self.target == "orders" else AD_FIELDS
        unknown = set(self.fields) - allowed
        if unknown:
            raise ValueError(
                f"unknown fields for {self.target}: {sorted(unknown)}; allowed: {sorted(allowed)}"
            )
        missing = REQUIRED[self.target] - set(self.fields)
        if missing:
            raise ValueError(f"{self.target} needs fields {sorted(missing)}")
        if self.target == "orders" and not self.storefront:
            raise ValueError("an orders mapping needs a storefront name")
        if self.target == "ad_spend_daily" and not self.platform:
            raise ValueError("an ad spend mapping needs a platform name")
        if "currency" not in self.fields and self.currency is None:
            raise ValueError("give a currency column in fields or a constant currency")
        if (
            "campaign_id" not in self.fields
            and "campaign_name" not in self.fields
            and self.target == "ad_spend_daily"
        ):
            raise ValueError("ad spend needs campaign_id or campaign_name")
        return self

    @classmethod
    def load(cls, path: Path) -> Mapping:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
            return cls.model_validate(data)
        except (OSError, yaml.YAMLError) as exc:
            raise FileError(
                Text("mapping %(path)s cannot be read: %(detail)s", path=str(path), detail=str(exc))
            ) from exc
        except ValidationError as exc:
            raise FileError(
                Text("mapping %(path)s is not valid:\n%(detail)s", path=str(path), detail=str(exc))
            ) from exc


class MappedFile(FileFormat):
    """A format defined by a :class:`Mapping`."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.name = mapping.name  # type: ignore[misc]
        self.label = mapping.label  # type: ignore[misc]
        if mapping.target == "orders":
            self.tables = ORDER_TABLES  # type: ignore[misc]
            self.primary_table = "order_lines"  # type: ignore[misc]
        else:
            self.tables = ("ad_spend_daily",)  # type: ignore[misc]
            self.primary_table = "ad_spend_daily"  # type: ignore[misc]

    @cached_property
    def _signature(self) -> set[str]:
        return {norm(c) for c in self.mapping.detect}

    def score(self, sample: Sample) -> float:
        if not self._signature:
            return 0.0
        i = self.mapping.header_row - 1
        if i >= len(sample.rows):
            return 0.0
        names = {norm(c) for c in sample.rows[i]}
        share = len(self._signature & names) / len(self._signature)
        exact = share == 1.0 and len(names) == len(self._signature)
        return 1.0 if exact else share * 0.9

    def parse(self, raw: RawFile, options: ImportOptions) -> Parsed:
        m = self.mapping
        frame = read_table(raw, header_row=m.header_row - 1, delimiter=m.delimiter)
        opts = replace(
            options,
            currency=options.currency or m.currency,
            timezone=options.timezone or m.timezone,
            decimal=options.decimal or m.decimal,
            date_order=options.date_order or m.date_order,
        )
        cells = Cells(frame, raw.display_name, opts)
        missing = [
            f.column
            for f in m.fields.values()
            if f.column is not None and cells.col(f.column) is None
        ]
        if missing:
            raise FileError(
                Text(
                    "%(name)s lacks the columns %(columns)s that mapping %(mapping)s reads",
                    name=raw.display_name,
                    columns=str(missing),
                    mapping=repr(m.name),
                )
            )
        if m.target == "orders":
            return self._orders(cells, len(frame))
        return self._ad_spend(cells, len(frame))

    # --- helpers

    def _column(self, cells: Cells, name: str) -> str | None:
        f = self.mapping.fields.get(name)
        return None if f is None or f.column is None else cells.col(f.column)

    def _text(self, cells: Cells, name: str) -> pd.Series:
        f = self.mapping.fields.get(name)
        n = len(cells)
        if f is None:
            return pd.Series([None] * n, dtype="object")
        if f.constant is not None:
            return pd.Series([f.constant] * n, dtype="object")
        s = cells.text_arrow(cells.col(f.column or ""))
        if f.strip_suffix:
            arr = s.array._pa_array  # noqa: SLF001
            arr = pc.replace_substring_regex(arr, re.escape(f.strip_suffix) + "$", "")
            s = pd.Series(pd.arrays.ArrowExtensionArray(arr))
        return s

    def _numeric_columns(self, cells: Cells, names: tuple[str, ...]) -> list[str | None]:
        return [self._column(cells, n) for n in names]

    def _orders(self, cells: Cells, read: int) -> Parsed:
        m = self.mapping
        sf = m.storefront or m.name
        cells.decimal_sep(self._numeric_columns(cells, (*ORDER_MONEY, "quantity")))
        raw_ids = self._text(cells, "order_id")
        cols: dict[str, pd.Series] = {
            name: self._text(cells, name) for name in ORDER_TEXT if name in m.fields
        }
        cols["order_id"] = prefixed(sf, raw_ids)
        if "customer_id" in cols:
            cols["customer_id"] = prefixed(sf, cols["customer_id"])
        product = cols.get("product_id", cols.get("sku"))
        if product is not None:
            cols["product_id"] = prefixed(sf, product)
        for name in ORDER_MONEY:
            if name in m.fields:
                cols[name] = cells.money(self._column(cells, name), name)
        cols["quantity"] = cells.quantity(self._column(cells, "quantity"))
        cols["ordered_at"] = cells.timestamp(
            self._column(cells, "ordered_at"),
            default_zone=m.timezone,
            fmt=m.timestamp_format,
            required=True,
        )
        cols["currency"] = cells.currency(self._column(cells, "currency"), m.currency)
        if "line_no" in m.fields:
            cols["line_no"] = cells.integer(self._column(cells, "line_no"))
        if m.refund_prefix:
            cols["refund"] = raw_ids.str.startswith(m.refund_prefix).fillna(False)
        frames = build_orders(cells, cols, storefront=sf)
        return cells.parsed(frames, read)

    def _ad_spend(self, cells: Cells, read: int) -> Parsed:
        m = self.mapping
        cells.decimal_sep(
            self._numeric_columns(
                cells, ("impressions", "clicks", "spend", "conversions", "conversion_value")
            )
        )
        cols: dict[str, pd.Series] = {name: self._text(cells, name) for name in AD_TEXT}
        cols["country"] = country_code(cols["country"])
        cols["device"] = device_name(cols["device"])
        cols["date"] = cells.date(self._column(cells, "date"))
        for name in ("impressions", "clicks"):
            cols[name] = cells.integer(self._column(cells, name))
        for name in ("spend", "conversions", "conversion_value"):
            cols[name] = cells.money(self._column(cells, name), name)
        cols["currency"] = cells.currency(self._column(cells, "currency"), m.currency)
        out = ad_spend_frame(cells, cols, platform=m.platform or m.name)
        return cells.parsed({"ad_spend_daily": out}, read)


def shipped_mappings() -> list[Mapping]:
    return [Mapping.load(p) for p in sorted(SHIPPED.glob("*.yaml"))]
