"""The seller's business rules on top of any model's scores.

* non-product lines (postage, fees, discounts, gift vouchers) never reach a model: the
  warehouse's ``line_kind`` and the Online Retail reader's stock-code rules drop them;
* products the customer already bought are not recommended again (``top_n``);
* ``exclude`` — product ids never recommended (discontinued lines, adult or seasonal items);
* ``out_of_stock`` — product ids not recommended until they are back;
* ``stale_days`` — a product nobody bought for this many days is treated as out of stock
  (for shops whose stock levels Tradewinds does not see);
* ``margins`` — a product's margin (0–1); ``margin_boost`` adds that many standard
  deviations per unit of margin to its standardised score, so among near-equals the more
  profitable product ranks first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from tradewinds.recommend.blend import standardised
from tradewinds.recommend.matrix import PurchaseMatrix
from tradewinds.recommend.topn import Scorer


class BusinessRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exclude: list[str] = Field(default_factory=list)
    out_of_stock: list[str] = Field(default_factory=list)
    stale_days: int | None = Field(default=None, ge=1)
    margins: dict[str, float] = Field(default_factory=dict)
    margin_boost: float = Field(default=0.5, ge=0)

    def is_empty(self) -> bool:
        return not (self.exclude or self.out_of_stock or self.stale_days or self.margins)


def blocked_items(
    rules: BusinessRules, purchases: PurchaseMatrix, interactions: pd.DataFrame
) -> np.ndarray:
    """A boolean mask over ``purchases.items``: True for products the rules hold back."""
    items = purchases.items
    blocked = items.isin(rules.exclude) | items.isin(rules.out_of_stock)
    if rules.stale_days:
        dates = pd.to_datetime(interactions["date"])
        last = dates.groupby(interactions["item_id"]).max().reindex(items)
        blocked |= ((dates.max() - last).dt.days > rules.stale_days).to_numpy()
    return np.asarray(blocked, dtype=bool)


class RuledModel:
    """Any scorer with the business rules applied: blocked products at −inf, margins boost."""

    def __init__(self, model: Scorer, rules: BusinessRules, interactions: pd.DataFrame) -> None:
        self.model = model
        self.purchases: PurchaseMatrix = model.purchases
        self.blocked = blocked_items(rules, self.purchases, interactions)
        margins = pd.Series(rules.margins, dtype=float).reindex(self.purchases.items)
        self.boost = (rules.margin_boost * margins.fillna(0.0).clip(0, 1)).to_numpy(np.float32)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        s = np.asarray(self.model.scores(rows), dtype=np.float32)
        s = standardised(s) + self.boost[None, :] if self.boost.any() else s.copy()
        s[:, self.blocked] = -np.inf
        return s
