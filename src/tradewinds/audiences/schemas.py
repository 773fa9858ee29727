"""What the API answers, the CLI prints with ``--json`` and the pages read of the customer
reports. Money fields (revenue, average order value, CLV, the monetary score, order totals)
are optional: a role without finance.read gets the reports without them
(``audiences/access.py``)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from tradewinds.analytics.metrics import Coverage
from tradewinds.schemas import PublicModel, ReportPublic


class RfmSegmentPublic(PublicModel):
    segment: str
    customers: int
    revenue: float | None = None
    share: float = Field(description="the segment's share of the customers, 0..1")


class RfmGridPublic(PublicModel):
    """Customers per recency score (rows) and frequency score (columns)."""

    r_scores: list[int]
    f_scores: list[int]
    counts: list[list[int]]


class RfmReportPublic(ReportPublic):
    """Customers per RFM segment and the R × F grid (``GET /audiences/rfm``)."""

    as_of: date
    customers: int
    customers_total: int
    coverage: list[Coverage]
    currency: str | None
    unconverted_orders: int
    per_market: bool
    segments: list[RfmSegmentPublic]
    grid: RfmGridPublic


class ClusterPublic(PublicModel):
    cluster: int
    name: str
    customers: int
    share: float
    medians: dict[str, float | None] = Field(
        description="the typical member: recency_days, orders, revenue, aov, tenure_days"
    )
    description: str | None = Field(default=None, description="the cluster in plain words")


class ClustersReportPublic(ReportPublic):
    """Behavioural clusters (``GET /audiences/clusters``)."""

    k: int
    silhouette: float | None
    clusters: list[ClusterPublic]


class SegmentCountPublic(ReportPublic):
    """How many customers a rule selects (``GET /audiences/segment``)."""

    rule: str = Field(description="the rule as it was understood")
    members: int
    customers: int
    share: float
    sample: list[str] = Field(description="up to 20 member customer ids")


class ClvCustomerPublic(PublicModel):
    customer_id: str
    orders: int
    revenue: float | None = None
    last_order_days: int | None
    p_alive: float | None
    churn_risk: float | None
    clv: float | None = None


class ClvReportPublic(ReportPublic):
    """BG/NBD + Gamma-Gamma customer lifetime value (``GET /audiences/clv``)."""

    as_of: date
    customers: int
    currency: str | None
    unconverted_orders: int
    bgnbd: dict[str, float] | None
    gamma_gamma: dict[str, float] | None = None
    horizon_months: int
    annual_discount_rate: float
    total_clv: float | None = None
    top: list[ClvCustomerPublic]


class LookalikePublic(PublicModel):
    customer_id: str
    score: float
    top_features: list[str]


class LookalikeEvaluationPublic(PublicModel):
    """How well the ranking finds this seed's members: a quarter of the seed hidden, the
    model learning from the rest."""

    lift_at_10: float = Field(
        alias="lift@10%",
        description="hidden seed members in the top 10% of the ranking, against a random 10%",
    )
    random: float = Field(default=1.0, description="a random 10%'s lift, by definition 1")
    champions: float | None = Field(
        default=None, description="the RFM Champions segment's lift, as an alternative audience"
    )
    held_out: int
    pool: int = Field(description="customers ranked: the candidates and the hidden seed members")


class LookalikeReportPublic(ReportPublic):
    """Customers outside the seed ranked by resemblance (``GET /audiences/lookalikes``)."""

    seed: str
    seed_size: int | None = None
    candidates: int | None = None
    weights: dict[str, float | None] = Field(description="how much each feature counts")
    top: list[LookalikePublic]
    evaluation: LookalikeEvaluationPublic | None = None


class ProductPublic(PublicModel):
    item_id: str
    title: str


class PairPublic(PublicModel):
    """Two products bought together."""

    item_id: str
    other_id: str
    baskets: int
    confidence: float
    lift: float
    title: str
    other_title: str


class CandidateScorePublic(PublicModel):
    """One candidate recommender's scores on the workspace's validation split."""

    model: str
    label: str
    family: str
    precision_at_10: float
    recall_at_10: float
    ndcg_at_10: float


class RecommenderPublic(PublicModel):
    """Which recommender the workspace uses, and why (``recommend/selection.py``)."""

    model: str = Field(description="the chosen model's key, e.g. 'ease-recency+titles'")
    label: str
    validated: bool = Field(
        description="false: too little history to validate on, the default model is used"
    )
    pending: bool = Field(
        default=False,
        description="the choice is being made in the background; the default "
        "model answers until then",
    )
    validation_from: date | None = Field(
        default=None, description="the validation split: orders from this day on were held back"
    )
    validation_customers: int = 0
    runner_up: str | None = None
    gain_over_runner_up: float | None = Field(
        default=None, description="relative NDCG@10 gain over the next best model (0.05 = 5%)"
    )
    gain_over_als: float | None = Field(
        default=None, description="relative NDCG@10 gain over the best ALS candidate"
    )
    candidates: list[CandidateScorePublic] = Field(default_factory=list)


class RecommendationsPublic(ReportPublic):
    """Products for a customer and pairs bought together (``GET /audiences/recommendations``)."""

    customers: int
    items: int
    recommender: RecommenderPublic | None = None
    customer_id: str | None = None
    recommendations: list[str] | None = None
    recommended_products: list[ProductPublic] | None = None
    bought_together: list[PairPublic]


class OrderPublic(PublicModel):
    order_id: str
    ordered_at: str | None
    storefront: str | None
    country: str | None
    currency: str | None
    total: float | None = None
    status: str | None


class CustomerProfilePublic(ReportPublic):
    """One customer (``GET /audiences/customer``)."""

    customer_id: str
    segment: str
    orders: int
    revenue: float | None = None
    aov: float | None = None
    last_order_days: int | None
    first_order_days: int | None
    r: int
    f: int
    m: int | None = None
    clv: float | None = None
    p_alive: float | None
    churn_risk: float | None
    country: str | None
    accepts_marketing: bool | None
    recent_orders: list[OrderPublic]
    recommendations: list[ProductPublic]


class ExportPreviewPublic(ReportPublic):
    """Who an export would hold and who it leaves out (``GET /audiences/exports``)."""

    rule: str
    customers: int
    exported: int
    skipped_no_consent: int
    skipped_no_identifier: int
    coverage: list[Coverage]


class SegmentHistoryPublic(PublicModel):
    at: str
    members: int


class SegmentPublic(PublicModel):
    """A saved rule segment with its member counts over time (``GET /audiences/segments``)."""

    id: int
    name: str
    rule: str
    created_by: str
    members: int | None = Field(description="the latest count; None before the first")
    customers: int | None
    previous: int | None
    history: list[SegmentHistoryPublic]


class SegmentSavedPublic(PublicModel):
    """A segment just saved (``POST /audiences/segments``)."""

    id: int
    name: str
    rule: str
