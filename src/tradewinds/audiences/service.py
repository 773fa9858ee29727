"""Customer services: load a workspace's orders once, hand plain frames to the pure maths.

Edges (CLI, API, web) call these with keyword arguments and print or render the result.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from cachetools import LRUCache

from tradewinds.analytics.metrics import Coverage, order_sql
from tradewinds.audiences.clusters import Clustering, cluster_customers
from tradewinds.audiences.clv import fit_bgnbd
from tradewinds.audiences.exports import ExportResult, Platform, build_export, country_code
from tradewinds.audiences.features import behaviour
from tradewinds.audiences.holdout import HoldoutComparison, holdout_comparison
from tradewinds.audiences.lookalike import (
    LookalikeEvaluation,
    LookalikeResult,
    holdout_lift,
    score_lookalikes,
    seed_affinity,
    taste,
)
from tradewinds.audiences.recommending import Recommender, recommender
from tradewinds.audiences.rfm import load_segment_map, rf_grid, segment_sizes
from tradewinds.audiences.rules import (
    Comparison,
    Membership,
    Not,
    Rule,
    RuleError,
    evaluate,
    to_text,
    validate_rule,
)
from tradewinds.audiences.scores import ClvSettings, CustomerScores, customer_scores
from tradewinds.audiences.transactions import (
    Period,
    TransactionFormat,
    load_transactions,
    summarise,
)
from tradewinds.errors import InvalidInput, NotFound
from tradewinds.i18n_markers import Text
from tradewinds.recommend.ease import EaseModel
from tradewinds.recommend.matrix import PurchaseMatrix
from tradewinds.recommend.together import bought_together

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse


class NoCustomerData(NotFound):
    """The workspace has no orders with a known customer yet."""

    code = "no_data"


def _iso_countries(rule: Rule) -> Rule:
    """Country names in a rule ("Germany") become the ISO codes customers carry ("DE")."""

    def code(value: Any) -> Any:
        return (country_code(value) or value) if isinstance(value, str) else value

    if isinstance(rule, Comparison):
        return replace(rule, value=code(rule.value)) if rule.field == "country" else rule
    if isinstance(rule, Membership):
        if rule.field != "country":
            return rule
        return replace(rule, values=tuple(code(v) for v in rule.values))
    if isinstance(rule, Not):
        return Not(_iso_countries(rule.item))
    return type(rule)(tuple(_iso_countries(item) for item in rule.items))


def parse_rule_input(text: str) -> Rule:
    """A validated rule, or InvalidInput saying where the text goes wrong."""
    try:
        return _iso_countries(validate_rule(text))
    except RuleError as exc:
        raise InvalidInput(
            str(exc), details={"position": exc.position, "pointer": exc.pointer()}
        ) from exc


# --------------------------------------------------------------------------- files


def fit_clv_file(
    *, path: Path | str, fmt: TransactionFormat, calibration_end: str, period: Period = "week"
) -> dict[str, Any]:
    """Fit BG/NBD on a transactions file; the result of ``audiences clv-fit``."""
    transactions = load_transactions(path, fmt=fmt)
    summary = summarise(transactions, calibration_end=calibration_end, period=period)
    params = fit_bgnbd(summary.frequency, summary.recency, summary.T)
    return {"model": "bgnbd", "params": params.as_dict(), "customers": len(summary)}


def holdout_file(
    *,
    path: Path | str,
    fmt: TransactionFormat,
    calibration_end: str,
    holdout_end: str,
    period: Period = "week",
) -> HoldoutComparison:
    transactions = load_transactions(path, fmt=fmt)
    return holdout_comparison(
        transactions, calibration_end=calibration_end, holdout_end=holdout_end, period=period
    )


# --------------------------------------------------------------------------- workspace data


@dataclass(frozen=True)
class CustomerData:
    transactions: pd.DataFrame  # customer_id, date, amount (one row per order)
    attributes: pd.DataFrame  # index customer_id: country, storefront, accepts_marketing
    currencies: list[str]  # currencies the orders were placed in
    unconverted_orders: int = 0  # left out for want of an exchange rate


_ORDERS_SQL = f"""
SELECT o.customer_id, o.ordered_at, o.total - coalesce(o.refunded, 0) AS net,
       o.country, o.storefront, o.currency
FROM orders o
WHERE o.customer_id IS NOT NULL
  AND {order_sql("o")}
  AND o.total - coalesce(o.refunded, 0) > 0
"""
# Orders as ``analytics.metrics`` defines them (credit notes, zero-value documents and
# cancelled orders are not orders); an order refunded in full is not a purchase to score.
_REFUNDED_ONLY_SQL = f"""
SELECT COUNT(*) FROM (
  SELECT o.customer_id FROM orders o
  WHERE o.customer_id IS NOT NULL AND {order_sql("o")}
  GROUP BY o.customer_id
  HAVING MAX(o.total - coalesce(o.refunded, 0)) <= 0
) AS r
"""


def _orders(warehouse: Warehouse, currency: str | None) -> tuple[pd.DataFrame, int]:
    """Orders with their net amount in ``currency`` (converted at the order date's rate
    where needed), and how many had to be left out for want of an exchange rate."""
    orders = warehouse.query_df(_ORDERS_SQL)
    if orders.empty or not currency:
        orders["amount"] = orders.get("net")
        return orders, 0
    target = currency.upper()
    if orders["currency"].astype(str).str.upper().eq(target).all():
        orders["amount"] = orders["net"]
        return orders, 0
    from tradewinds.markets.fx_sql import convert_sql

    converted = warehouse.query_df(
        convert_sql(_ORDERS_SQL, amount="net", currency="currency", on="ordered_at", to=target)
    )
    missing = int(converted["net_converted"].isna().sum())
    converted = converted[converted["net_converted"].notna()].copy()
    converted["amount"] = converted["net_converted"]
    return converted, missing


def load_customer_data(*, warehouse: Warehouse, currency: str | None = None) -> CustomerData:
    """Orders with a customer, net of refunds (in ``currency`` when given), plus
    per-customer attributes and consent."""
    orders, missing = _orders(warehouse, currency)
    if orders.empty:
        if missing:
            raise NoCustomerData(
                f"{missing:,} orders could not be converted to {currency}: import exchange rates"
            )
        raise NoCustomerData(
            "no orders with a customer yet: import an orders export or load the demo workspace"
        )
    orders["date"] = pd.to_datetime(orders["ordered_at"], utc=True).dt.tz_localize(None)
    orders["date"] = orders["date"].dt.normalize()
    transactions = pd.DataFrame(
        {
            "customer_id": orders["customer_id"].astype(str),
            "date": orders["date"],
            "amount": orders["amount"].astype(float),
        }
    )
    latest = orders.sort_values("ordered_at").groupby("customer_id").tail(1)
    attributes = latest.set_index(latest["customer_id"].astype(str))[["country", "storefront"]]

    customers = warehouse.query_df("SELECT customer_id, country, accepts_marketing FROM customers")
    if not customers.empty:
        customers = customers.set_index(customers["customer_id"].astype(str))
        attributes = attributes.join(customers[["accepts_marketing"]], how="left")
        missing_country = attributes["country"].isna()
        attributes.loc[missing_country, "country"] = customers["country"].reindex(
            attributes.index[missing_country]
        )
    else:
        attributes["accepts_marketing"] = pd.NA
    # "United Kingdom" and "GB" are one market
    attributes["country"] = attributes["country"].map(
        lambda c: (country_code(c) or c) if isinstance(c, str) else c
    )
    currencies = sorted(orders["currency"].dropna().astype(str).unique().tolist())
    return CustomerData(transactions, attributes, currencies, missing)


def data_version(warehouse: Warehouse) -> str:
    """Fingerprint of the orders and customers the figures are computed from."""
    row = warehouse.query(
        "SELECT count(*), max(ordered_at), sum(total), sum(coalesce(refunded, 0)) FROM orders"
    ).rows[0]
    customers = warehouse.query(
        "SELECT count(*), sum(CASE WHEN accepts_marketing THEN 1 ELSE 0 END) FROM customers"
    ).rows[0]
    return hashlib.sha256(repr((*row, *customers)).encode()).hexdigest()[:32]


_CACHE: LRUCache[tuple, Any] = LRUCache(maxsize=8)
_CACHE_LOCK = threading.Lock()


def _cached(key: tuple, compute: Callable[[], Any]) -> Any:
    """Results per workspace and data version: recomputed only when the orders changed."""
    with _CACHE_LOCK:
        try:
            return _CACHE[key]
        except KeyError:
            pass
    value = compute()
    with _CACHE_LOCK:
        _CACHE[key] = value
    return value


def _cache_key(warehouse: Warehouse, *parts: Any) -> tuple:
    return (getattr(warehouse, "workspace_key", id(warehouse)), data_version(warehouse), *parts)


def workspace_scores(
    *,
    warehouse: Warehouse,
    per_market: bool = False,
    clv: ClvSettings | None = None,
    currency: str | None = None,
) -> CustomerScores:
    """RFM, CLV, P(alive) and churn risk per customer (cached until the orders change)."""

    def compute() -> CustomerScores:
        data = load_customer_data(warehouse=warehouse, currency=currency)
        scores = customer_scores(
            data.transactions, attributes=data.attributes, per_market=per_market, clv=clv
        )
        return replace(scores, unconverted_orders=data.unconverted_orders)

    key = _cache_key(warehouse, "scores", per_market, clv or ClvSettings(), currency)
    return _cached(key, compute)


def all_time_customers(*, warehouse: Warehouse, currency: str | None = None) -> int:
    """Customers as every screen counts them (``analytics.metrics``): people with a customer
    id and at least one order, over all the workspace's orders."""
    from tradewinds.analytics.filters import ReportScope
    from tradewinds.analytics.service import data_bounds, metrics_report

    first, last = data_bounds(warehouse=warehouse)
    if first is None or last is None:
        return 0
    report = metrics_report(
        warehouse=warehouse,
        currency=currency or "GBP",
        scope=ReportScope(start=first, end=last),
        metrics=("customers",),
    )
    return int(report.total.get("customers") or 0)


def customer_counts(*, warehouse: Warehouse, currency: str | None = None) -> tuple[int, int]:
    """All customers (``analytics.metrics``) and those whose every order was refunded."""
    return (
        all_time_customers(warehouse=warehouse, currency=currency),
        int(warehouse.query(_REFUNDED_ONLY_SQL).scalar() or 0),
    )


def segment_coverage(
    *,
    warehouse: Warehouse,
    scores: CustomerScores,
    currency: str | None = None,
    total: int | None = None,
    refunded_only: int | None = None,
) -> Coverage:
    """The customers the segments score against all customers: a customer whose every
    order was refunded in full has nothing to score; orders without an exchange rate to the
    reporting currency are left out, and a customer with only such orders with them.
    ``total`` and ``refunded_only`` (from :func:`customer_counts`) save the queries."""
    if total is None or refunded_only is None:
        total, refunded_only = customer_counts(warehouse=warehouse, currency=currency)
    scored = len(scores.table)
    refunded = refunded_only
    left = {"every_order_refunded": float(refunded)}
    rest = total - scored - refunded
    if rest:
        left["no_exchange_rate"] = float(rest)
    if rest:
        note = Text(
            "%(total)s customers (people with a customer id and at least one order); "
            "%(scored)s are scored here; %(refunded)s whose every order was refunded in "
            "full and %(rest)s whose orders have no exchange rate to %(currency)s are not.",
            total=total,
            scored=scored,
            refunded=refunded,
            rest=rest,
            currency=currency,
        )
    else:
        note = Text(
            "%(total)s customers (people with a customer id and at least one order); "
            "%(scored)s are scored here; %(refunded)s whose every order was refunded in "
            "full are not.",
            total=total,
            scored=scored,
            refunded=refunded,
        )
    return Coverage(metric="customers", total=total, counted=scored, left_out=left, note=note)


def export_coverage(*, result: ExportResult) -> Coverage:
    """The customers an audience file holds against the customers it was drawn from."""
    total = result.rows + result.skipped_no_consent + result.skipped_no_identifier
    note = Text(
        "%(total)s customers; %(rows)s agreed to marketing and have an e-mail "
        "address or phone number and are exported; %(no_consent)s "
        "without marketing consent (or no consent recorded) and "
        "%(no_identifier)s without a valid e-mail or phone are not.",
        total=total,
        rows=result.rows,
        no_consent=result.skipped_no_consent,
        no_identifier=result.skipped_no_identifier,
    )
    return Coverage(
        metric="customers",
        total=total,
        counted=result.rows,
        left_out={
            "no_marketing_consent": float(result.skipped_no_consent),
            "no_email_or_phone": float(result.skipped_no_identifier),
        },
        note=note,
    )


def export_preview(
    *, warehouse: Warehouse, currency: str | None = None, rule: str | None = None
) -> dict[str, Any]:
    """Who an audience export would hold (counts only, nothing personal leaves)."""
    result = export_audience(warehouse=warehouse, platform="google", rule=rule, currency=currency)
    cover = export_coverage(result=result)
    scores = workspace_scores(warehouse=warehouse, currency=currency)
    return {
        "rule": rule or "",
        "customers": int(cover.total),
        "exported": result.rows,
        "skipped_no_consent": result.skipped_no_consent,
        "skipped_no_identifier": result.skipped_no_identifier,
        "coverage": [
            cover.model_dump(),
            segment_coverage(warehouse=warehouse, scores=scores, currency=currency).model_dump(),
        ],
    }


def rfm_report(
    *, warehouse: Warehouse, per_market: bool = False, currency: str | None = None
) -> dict[str, Any]:
    scores = workspace_scores(warehouse=warehouse, per_market=per_market, currency=currency)
    table = scores.table
    grid = rf_grid(table)
    cover = segment_coverage(warehouse=warehouse, scores=scores, currency=currency)
    return {
        "as_of": scores.as_of.date(),
        "customers": len(table),
        "customers_total": int(cover.total),
        "coverage": [cover.model_dump()],
        "currency": currency,
        "unconverted_orders": scores.unconverted_orders,
        "per_market": per_market,
        "segments": segment_sizes(table).to_dict(orient="records"),
        "grid": {
            "r_scores": [int(r) for r in grid.index],
            "f_scores": [int(f) for f in grid.columns],
            "counts": grid.to_numpy().tolist(),
        },
    }


def clusters_report(
    *, warehouse: Warehouse, k: int | None = None, currency: str | None = None
) -> Clustering:
    def compute() -> Clustering:
        data = load_customer_data(warehouse=warehouse, currency=currency)
        features = behaviour(data.transactions, as_of=data.transactions["date"].max())
        return cluster_customers(features, k=k)

    return _cached(_cache_key(warehouse, "clusters", k, currency), compute)


def evaluate_rule_on(table: pd.DataFrame, rule: str) -> dict[str, Any]:
    """Members of a rule segment within an already scored customer table."""
    parsed = parse_rule_input(rule)
    mask = evaluate(parsed, table)
    members = table.loc[mask, "customer_id"]
    return {
        "rule": to_text(parsed),
        "members": int(mask.sum()),
        "customers": len(table),
        "share": float(mask.mean()) if len(table) else 0.0,
        "sample": members.head(20).tolist(),
    }


def segment_members(
    *, warehouse: Warehouse, rule: str, currency: str | None = None
) -> dict[str, Any]:
    parse_rule_input(rule)  # reject a bad rule before loading any data
    scores = workspace_scores(warehouse=warehouse, currency=currency)
    return evaluate_rule_on(scores.table, rule)


def clv_report(
    *,
    warehouse: Warehouse,
    top: int = 20,
    clv: ClvSettings | None = None,
    currency: str | None = None,
) -> dict[str, Any]:
    settings = clv or ClvSettings()
    scores = workspace_scores(warehouse=warehouse, clv=settings, currency=currency)
    table = scores.table.sort_values("clv", ascending=False)
    cols = ["customer_id", "orders", "revenue", "last_order_days", "p_alive", "churn_risk", "clv"]
    return {
        "as_of": scores.as_of.date(),
        "customers": len(table),
        "currency": currency,
        "unconverted_orders": scores.unconverted_orders,
        "bgnbd": scores.bgnbd.as_dict() if scores.bgnbd else None,
        "gamma_gamma": scores.gamma_gamma.as_dict() if scores.gamma_gamma else None,
        "horizon_months": settings.horizon_months,
        "annual_discount_rate": settings.annual_discount_rate,
        "total_clv": float(table["clv"].sum()),
        "top": table[cols].head(top).to_dict(orient="records"),
    }


@dataclass(frozen=True)
class LookalikeReport:
    seed: str
    seed_size: int
    candidates: int
    result: LookalikeResult
    evaluation: LookalikeEvaluation | None


def resolve_seed(seed: str, saved: dict[str, str] | None = None) -> str:
    """The rule a seed stands for: a saved segment's name gives its rule, an RFM segment's
    name (``Champions``) ``segment = "Champions"``, anything else is a rule already."""
    text = seed.strip()
    for name, rule in (saved or {}).items():
        if name.casefold() == text.casefold():
            return rule
    for segment in load_segment_map().segments:
        if segment.name.casefold() == text.casefold():
            return f'segment = "{segment.name}"'
    return text


def _predicted(warehouse: Warehouse, purchases: PurchaseMatrix) -> np.ndarray:
    def compute() -> np.ndarray:
        return EaseModel(purchases).scores(np.arange(len(purchases.customers)))

    return _cached(_cache_key(warehouse, "lookalike-predicted"), compute)


def lookalike_report(
    *,
    warehouse: Warehouse,
    seed_rule: str | None = None,
    seed_ids: list[str] | None = None,
    seed_label: str | None = None,
    currency: str | None = None,
    one_time_only: bool = False,
    evaluate_seed: bool = True,
) -> LookalikeReport:
    """Score every customer outside the seed (or only one-time buyers, the people a
    second-order campaign is for) by resemblance to the seed: the customers a rule picks,
    or an uploaded list of customer ids. With ``evaluate_seed``, a quarter of the seed is
    hidden to measure the ranking's lift@10% (and the Champions segment's, beside it)."""
    if (seed_rule is None) == (seed_ids is None):
        raise InvalidInput("give a seed: a segment or rule, or a list of customer ids")
    data = load_customer_data(warehouse=warehouse, currency=currency)
    scores = customer_scores(data.transactions, attributes=data.attributes)
    table = scores.table
    if seed_rule is not None:
        parsed = parse_rule_input(seed_rule)
        seed = pd.Index(table.loc[evaluate(parsed, table), "customer_id"])
    else:
        wanted = {str(c).strip() for c in seed_ids or [] if str(c).strip()}
        seed = pd.Index(sorted(wanted & set(table["customer_id"])))
    features = behaviour(data.transactions, as_of=scores.as_of)
    candidates = features.index[features["orders"] == 1] if one_time_only else features.index
    markets = data.attributes.get("country")
    interactions = interactions_of(warehouse)
    purchases = PurchaseMatrix.build(interactions) if not interactions.empty else None
    titles = pd.Series(_titles(warehouse))

    def tastes_for(members: pd.Index) -> pd.DataFrame | None:
        if purchases is None:
            return None
        predicted = _predicted(warehouse, purchases)
        return taste(purchases, titles).join(seed_affinity(purchases, members, predicted, titles))

    exclude = ("orders",) if one_time_only else ()
    label = seed_label or seed_rule or f"{len(seed_ids or [])} uploaded customer ids"
    try:
        result = score_lookalikes(
            features,
            seed=seed,
            candidates=candidates,
            markets=markets,
            tastes=tastes_for(seed),
            # every one-time buyer has one order: learn what else marks the seed out
            exclude_from_model=exclude,
        )
    except ValueError as exc:
        raise InvalidInput(f"{exc} (seed: {label})") from exc
    check = None
    if evaluate_seed:
        champions = pd.Index(table.loc[table["segment"] == "Champions", "customer_id"])
        check = holdout_lift(
            features,
            seed=seed,
            candidates=candidates,
            champions=champions,
            markets=markets,
            tastes=tastes_for,
            exclude_from_model=exclude,
        )
    return LookalikeReport(label, len(seed), len(result.scores), result, check)


def lookalike_public(report: LookalikeReport, *, top: int) -> dict[str, Any]:
    """The report as ``LookalikeReportPublic`` reads it (CLI, API and page alike)."""
    check = report.evaluation
    return {
        "seed": report.seed,
        "seed_size": report.seed_size,
        "candidates": report.candidates,
        "weights": report.result.weights.to_dict(),
        "top": report.result.scores.head(top).to_dict(orient="records"),
        "evaluation": (
            {
                "lift@10%": check.lift_at_10,
                "random": 1.0,
                "champions": check.champions_lift,
                "held_out": check.held_out,
                "pool": check.pool,
            }
            if check
            else None
        ),
    }


_INTERACTIONS_SQL = """
SELECT o.customer_id, coalesce(l.product_id, l.sku) AS item_id, o.order_id AS basket_id,
       o.ordered_at AS date, l.title
FROM order_lines l JOIN orders o ON o.order_id = l.order_id
WHERE o.customer_id IS NOT NULL AND l.quantity > 0 AND coalesce(l.product_id, l.sku) IS NOT NULL
  AND coalesce(l.line_kind, 'product') = 'product'
"""


def _interactions(warehouse: Warehouse) -> pd.DataFrame:
    """Who bought which product in which order (the join runs in the warehouse)."""
    frame = warehouse.query_df(_INTERACTIONS_SQL)
    for col in ("customer_id", "item_id", "basket_id"):
        frame[col] = frame[col].astype(str)
    frame["date"] = pd.to_datetime(frame["date"], utc=True).dt.tz_localize(None)
    return frame


def interactions_of(warehouse: Warehouse) -> pd.DataFrame:
    """The purchase interactions, cached until the orders change."""
    return _cached(_cache_key(warehouse, "interactions"), lambda: _interactions(warehouse))


def _titles(warehouse: Warehouse) -> dict[str, str]:
    rows = warehouse.query(
        "SELECT product_id, min(title) FROM order_lines WHERE product_id IS NOT NULL"
        " GROUP BY product_id"
    ).rows
    return {str(pid): title or "" for pid, title in rows}


def workspace_recommender(
    *,
    warehouse: Warehouse,
    choose_now: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Recommender:
    """The workspace's recommender (chosen on its own history, see ``recommending.py``)."""
    interactions = interactions_of(warehouse)
    if interactions.empty:
        raise NoCustomerData("no order lines with a customer yet")
    return recommender(
        warehouse=warehouse,
        interactions=interactions,
        version=data_version(warehouse),
        choose_now=choose_now,
        progress=progress,
    )


def recommendations(
    *,
    warehouse: Warehouse,
    customer_id: str | None = None,
    n: int = 10,
    choose_now: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Top-N products for a customer (the workspace's chosen model) and bought-together
    pairs, with which model answered and how it was chosen."""
    found = workspace_recommender(warehouse=warehouse, choose_now=choose_now, progress=progress)
    interactions = interactions_of(warehouse)
    titles = _titles(warehouse)
    purchases = found.purchases
    result: dict[str, Any] = {
        "customers": len(purchases.customers),
        "items": len(purchases.items),
        "recommender": found.choice,
    }
    if customer_id is not None:
        if customer_id not in purchases.customers:
            raise NoCustomerData(f"customer {customer_id!r} has no orders with products")
        row = purchases.customers.get_loc(customer_id)
        owned_idx = purchases.matrix[row].indices
        items = found.top(np.array([row]), min(n, len(purchases.items) - len(owned_idx)))[0]
        result["customer_id"] = customer_id
        result["recommendations"] = items
        result["recommended_products"] = [{"item_id": i, "title": titles.get(i, "")} for i in items]
        owned = purchases.items[owned_idx].tolist()
        pairs = bought_together(interactions, n=3, items=owned)
        pairs = pairs.sort_values("baskets", ascending=False, kind="stable")
    else:
        pairs = bought_together(interactions, n=3)
        pairs = pairs.sort_values("baskets", ascending=False, kind="stable")
    pairs = pairs.head(50).copy()
    pairs["title"] = pairs["item_id"].map(titles).fillna("")
    pairs["other_title"] = pairs["other_id"].map(titles).fillna("")
    result["bought_together"] = pairs.to_dict(orient="records")
    return result


def export_audience(
    *,
    warehouse: Warehouse,
    platform: Platform,
    rule: str | None = None,
    currency: str | None = None,
) -> ExportResult:
    """Hashed audience file for the customers matching ``rule`` (all when None)."""
    scores = workspace_scores(warehouse=warehouse, currency=currency)
    table = scores.table
    if rule:
        table = table[evaluate(parse_rule_input(rule), table)]
    pii = warehouse.query_df(
        "SELECT customer_id, email, phone, first_name, last_name, city, region, postal_code,"
        " country AS pii_country FROM customer_pii"
    )
    pii["customer_id"] = pii["customer_id"].astype(str)
    merged = table.merge(pii, on="customer_id", how="left")
    if "country" not in merged.columns:
        merged["country"] = None
    merged["country"] = merged["pii_country"].where(
        merged["pii_country"].notna(), merged["country"]
    )
    if "accepts_marketing" not in merged.columns:
        merged["accepts_marketing"] = False
    return build_export(merged, platform=platform)


def export_and_record(
    *,
    session: Any,
    workspace: Any,
    actor: str,
    platform: Platform,
    rule: str | None = None,
) -> ExportResult:
    """Build the audience file for a workspace and write the export to the audit log."""
    from tradewinds.auth import audit
    from tradewinds.warehouse import open_warehouse

    if platform not in ("google", "meta"):
        raise InvalidInput(f"unknown platform {platform!r}: use google or meta")
    with open_warehouse(workspace.key) as wh:
        result = export_audience(
            warehouse=wh, platform=platform, rule=rule, currency=workspace.currency
        )
    audit.record(
        session,
        action="audience.export",
        actor=actor,
        workspace_id=workspace.id,
        target=f"audience:{platform}",
        details={
            "platform": platform,
            "rule": rule or "",
            "rows": result.rows,
            "skipped_no_consent": result.skipped_no_consent,
            "skipped_no_identifier": result.skipped_no_identifier,
            "file_sha256": hashlib.sha256(result.csv_text.encode("utf-8")).hexdigest(),
        },
    )
    return result


def customer_profile(
    *,
    warehouse: Warehouse,
    customer_id: str,
    n_recommendations: int = 5,
    currency: str | None = None,
) -> dict:
    """One customer's orders, RFM segment, CLV, P(alive) and product recommendations."""
    scores = workspace_scores(warehouse=warehouse, currency=currency)
    row = scores.table[scores.table["customer_id"] == customer_id]
    if row.empty:
        raise NotFound(f"no customer {customer_id!r} with orders in this workspace")
    record = row.iloc[0].to_dict()
    orders = warehouse.query_df(
        "SELECT order_id, ordered_at, storefront, country, currency, total, status"
        " FROM orders WHERE customer_id = ? ORDER BY ordered_at DESC LIMIT 100",
        [customer_id],
    )
    try:
        recs = recommendations(warehouse=warehouse, customer_id=customer_id, n=n_recommendations)
        recommended = recs["recommended_products"]
    except NotFound:
        recommended = []
    keys = ("orders", "revenue", "aov", "last_order_days", "first_order_days", "r", "f", "m")
    return {
        "customer_id": customer_id,
        "segment": record["segment"],
        **{k: record[k] for k in keys},
        "clv": record.get("clv"),
        "p_alive": record.get("p_alive"),
        "churn_risk": record.get("churn_risk"),
        "country": record.get("country"),
        "accepts_marketing": record.get("accepts_marketing"),
        "recent_orders": orders.astype(object)
        .where(orders.notna(), None)
        .to_dict(orient="records"),
        "recommendations": recommended,
    }
