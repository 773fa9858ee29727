"""What the role walk sends to each route: throw-away objects for path parameters, values
for required query parameters, and the words that mark a money field.

The role walk calls every route as every role, including DELETE and PATCH routes for the
roles allowed to use them, so each path parameter names a fresh object made for that one
call (never the caller's own key or membership). A route with a path parameter or a
required query parameter missing here fails the walk until it is added.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from tradewinds.analytics.metrics import DEFINITIONS

from ..shop_data import LAST_DAY

Factory = Callable[[Session, int], str]


def _member_id(session: Session, workspace_id: int) -> str:
    from tradewinds.db.models.tenancy import Membership, User

    user = User(email=f"walk-{secrets.token_hex(4)}@roles.example", password_hash="x")
    session.add(user)
    session.flush()
    member = Membership(workspace_id=workspace_id, user_id=user.id, role="viewer")
    session.add(member)
    session.flush()
    return str(member.id)


def _key_id(session: Session, workspace_id: int) -> str:
    from tradewinds.auth import apikeys
    from tradewinds.db.models.tenancy import Workspace

    ws = session.get(Workspace, workspace_id)
    record = apikeys.create_key(
        session=session, workspace=ws, role="viewer", name="walk", actor="test"
    )
    return str(record.record.id)


def _segment_id(session: Session, workspace_id: int) -> str:
    from tradewinds.db.models.audiences import SavedSegment

    segment = SavedSegment(
        workspace_id=workspace_id,
        name=f"Walk {secrets.token_hex(3)}",
        rule="orders >= 2",
        created_by="test",
    )
    session.add(segment)
    session.flush()
    return str(segment.id)


def _pack_id(session: Session, workspace_id: int) -> str:
    from tradewinds.db.models.compliance import UserRulePack

    pack = UserRulePack(
        workspace_id=workspace_id,
        pack_key=f"walk-{secrets.token_hex(4)}",
        title="Walk",
        source="id: walk\ntitle: Walk\nscope: user\nrules: []\n",
        rule_count=0,
        created_by="test",
    )
    session.add(pack)
    session.flush()
    return str(pack.id)


def _import_id(session: Session, workspace_id: int) -> str:
    from tradewinds.db.models.imports import ImportJob

    job = ImportJob(
        workspace_id=workspace_id, status="done", progress=1.0, stage="finished", created_by="test"
    )
    session.add(job)
    session.flush()
    return str(job.id)


def _source_id(session: Session, workspace_id: int) -> str:
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.ingest.sources import create_source

    ws = session.get(Workspace, workspace_id)
    source, _key = create_source(session=session, workspace=ws, kind="segment", actor="test")
    return str(source.id)


def _content_job_id(session: Session, workspace_id: int) -> str:
    from tradewinds.content.bulk import create_job
    from tradewinds.content.models import GenerationRequest

    request = GenerationRequest(
        products=[{"id": "walk-1", "title": "Walking boot", "price": "40", "currency": "GBP"}],
        markets=["DE"],
        platform="google",
        fields=["headline"],
        n=1,
    )
    return str(create_job(session, workspace_id=workspace_id, actor="test", request=request).id)


PATH_FACTORIES: dict[str, Factory] = {
    "member_id": _member_id,
    "key_id": _key_id,
    "segment_id": _segment_id,
    "user_pack_id": _pack_id,
    "pack_id": _pack_id,
    "import_id": _import_id,
    "source_id": _source_id,
    "table": lambda _s, _w: "channels",
    "fmt": lambda _s, _w: "csv",
    "content_job_id": _content_job_id,
    "layout": lambda _s, _w: "google",
}

# A customer of the shop in role_data (one with several orders).
CUSTOMER = "demo-cust-00002"

QUERIES: dict[str | tuple[str, str], dict[str, str]] = {
    ("DELETE", "/api/v1/attribution/campaign-mappings"): {
        "platform": "google",
        "touch_campaign": "brand",
    },
    "/api/v1/audiences/segment": {"rule": "orders >= 2"},
    "/api/v1/audiences/customer": {"customer_id": CUSTOMER},
    "/api/v1/fx/convert": {"amount": "10", "from": "USD", "to": "GBP", "on": "2026-01-05"},
    "/api/v1/markets/vat": {"country": "DE"},
    "/api/v1/fraud/exclusions": {"list": "google_ip"},
    "/api/v1/fraud/evidence": {"network": "google"},
    "/fraud/evidence.zip": {"network": "google"},
    "/api/v1/experiments/assign": {"experiment": "e", "unit_id": "u1"},
    "/api/v1/markets/calendar": {"market": "DE", "year": "2026"},
    "/api/v1/markets/calendar.ics": {"market": "DE", "year": "2026"},
    "/api/v1/markets/landed-price": {"price": "49.90", "currency": "EUR", "to": "DE"},
    "/customers/profile": {"customer_id": CUSTOMER},
    "/customers/search": {"q": CUSTOMER},
    "/customers": {"rule": "orders >= 2"},
    # the drill-down levels, each with its key (tests/shop_data.py's shop)
    "/drill/channel": {"channel": "google"},
    "/drill/campaign": {"channel": "google", "campaign": "brand"},
    "/drill/country": {"country": "GB"},
    "/drill/tile": {"metric": "orders"},
    "/drill/cohort": {"month": f"{LAST_DAY:%Y-%m}"},
    "/drill/order": {"order_id": "demo-attribution:00000"},
    "/drill/segment": {"segment": "Champions"},
}

# Answers that carry money-looking names that are not the workspace's figures.
NOT_WORKSPACE_MONEY = {
    # converts the amount the caller sends at the ECB rate: no figure of the shop
    "/api/v1/fx/convert": "the caller's own amount",
    # a landed price works out the caller's own price; the thresholds are the law's
    "/api/v1/markets/landed-price": "the caller's own price",
    "/markets/landed": "the caller's own price",
    # a country's VAT rates (the tax's name: VAT, GST …), not a figure of the shop
    "/api/v1/markets/vat": "the country's rates",
    "/markets/vat": "the countries' rates",
    # the p-values (p_value, srm_p_value) of the results file the workspace uploaded
    "/experiments.csv": "the statistics' p-values",
    "/experiments/events.csv": "the statistics' p-values (revenue per unit left out)",
    # the import guide lists the currency symbols exports use (£ for GBP …)
    "/data/guide": "the guide's table of currency symbols",
}

# A key is money when one of its words is one of these (snake_case or spaced words) …
MONEY_WORDS = frozenset(
    {
        "revenue",
        "spend",
        "spent",
        "roas",
        "cac",
        "cpa",
        "cpc",
        "cpm",
        "clv",
        "ltv",
        "aov",
        "monetary",
        "value",
        "amount",
        "price",
        "margin",
        "profit",
        "cost",
        "refunds",
        "refunded",
        "subtotal",
        "shipping",
        "tax",
        "discount",
    }
)
# … or it is exactly one of these, and (for "total") holds a number.
MONEY_KEYS = frozenset({"total", "m"})
WORD = re.compile(r"[a-z0-9]+")


def money_keys(value: Any, path: str = "") -> list[str]:
    """Every money-looking key in a JSON answer, with where it is."""
    found: list[str] = []
    if isinstance(value, dict):
        # a figure (or its coverage) that the metrics registry says is a count, not money
        figure = str(value.get("metric", value.get("name")))
        counted = figure in DEFINITIONS and not DEFINITIONS[figure].money
        for key, item in value.items():
            name = str(key).lower()
            if counted and name in ("total", "counted", "left_out", "value", "previous"):
                continue  # counts of that figure, by reason
            here = f"{path}.{key}"
            words = set(WORD.findall(name))
            numeric = isinstance(item, int | float) and not isinstance(item, bool)
            if words & MONEY_WORDS or (name in MONEY_KEYS and (numeric or name != "total")):
                found.append(here)
            found += money_keys(item, here)
    elif isinstance(value, list):
        for item in value:
            found += money_keys(item, f"{path}[]")
    return found


def money_columns(header: list[str]) -> list[str]:
    return [c for c in header if set(WORD.findall(c.lower())) & MONEY_WORDS]
