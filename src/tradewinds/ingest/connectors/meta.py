"""Meta Marketing API insights: daily spend by campaign and country for one ad account.

``GET /{version}/act_{account}/insights`` with ``level=campaign``, ``time_increment=1`` and
``breakdowns=country``; pages are followed through ``paging.next``. Meta restates recent
days (late conversions), so every run reads again the last ``lookback_days`` before the
saved cursor; the warehouse upsert replaces those days' rows.

Throttling: Meta answers rate limits with error codes (4, 17, 32, 613, 80000-80014) and
says in ``X-Business-Use-Case-Usage`` how many minutes until access is regained; the
client waits that long (bounded) or backs off exponentially.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from tradewinds.i18n_markers import N_
from tradewinds.ingest.connectors.base import Connector
from tradewinds.ingest.connectors.http import JsonHttp, standard_retry_after
from tradewinds.ingest.spec import Stream, table

GRAPH_URL = "https://graph.facebook.com"
API_VERSION = "v21.0"
FIELDS = (
    "account_id,account_name,account_currency,campaign_id,campaign_name,impressions,clicks,"
    "spend,actions,action_values,date_start,date_stop"
)
THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
# Purchase action types overlap (an omni purchase includes the pixel one): take the first
# present, never their sum.
PURCHASE_TYPES = ("omni_purchase", "purchase", "offsite_conversion.fb_pixel_purchase")


def meta_retry_after(response: httpx.Response) -> float | None:
    """Retry throttling errors (waiting what Meta says) and server errors."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    code = error.get("code") if isinstance(error, dict) else None
    if code in THROTTLE_CODES:
        return _regain_seconds(response.headers.get("x-business-use-case-usage"))
    if isinstance(error, dict) and error.get("is_transient"):
        return 0.0
    return standard_retry_after(response)


def _regain_seconds(header: str | None) -> float:
    """Minutes until access is regained, from ``X-Business-Use-Case-Usage``, in seconds."""
    if not header:
        return 0.0
    try:
        usage = json.loads(header)
    except ValueError:
        return 0.0
    minutes = 0.0
    for entries in usage.values() if isinstance(usage, dict) else ():
        for entry in entries if isinstance(entries, list) else ():
            value = entry.get("estimated_time_to_regain_access") if isinstance(entry, dict) else 0
            minutes = max(minutes, float(value or 0))
    return minutes * 60


def _int(value: Any) -> int | None:
    try:
        return int(Decimal(str(value))) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _money(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _purchases(actions: Any) -> Decimal | None:
    if not isinstance(actions, list):
        return None
    by_type = {a.get("action_type"): a.get("value") for a in actions if isinstance(a, dict)}
    for kind in PURCHASE_TYPES:
        if kind in by_type:
            return _money(by_type[kind])
    return None


def insight_row(item: dict[str, Any], *, account_id: str) -> dict[str, Any]:
    """One ``ad_spend_daily`` row from one insights record."""
    country = str(item.get("country") or "").upper()
    if len(country) != 2 or not country.isalpha():
        country = ""  # Meta reports "unknown" for unattributed traffic
    return {
        "date": date.fromisoformat(item["date_start"]),
        "platform": "meta",
        "account_id": str(item.get("account_id") or account_id),
        "account_name": item.get("account_name"),
        "campaign_id": str(item.get("campaign_id") or item.get("campaign_name")),
        "campaign_name": item.get("campaign_name"),
        "ad_group_id": "",
        "ad_id": "",
        "country": country,
        "device": "",
        "impressions": _int(item.get("impressions")),
        "clicks": _int(item.get("clicks")),
        "spend": _money(item.get("spend")),
        "conversions": _purchases(item.get("actions")),
        "conversion_value": _purchases(item.get("action_values")),
        "currency": str(item.get("account_currency") or "").upper(),
        "source": "meta_api",
    }


class MetaInsightsSource(Connector):
    """Daily campaign × country insights of one ad account."""

    name = "meta_api"
    kind = "meta"
    label = N_("Meta ad account (Marketing API insights)")
    tables = ("ad_spend_daily",)
    settings = ("ad_account_id", "access_token")
    optional_settings = ("graph_url",)

    @classmethod
    def from_settings(
        cls, settings: dict[str, Any], *, state: dict[str, str] | None, today: date
    ) -> MetaInsightsSource:
        extra = {"graph_url": settings["graph_url"]} if settings.get("graph_url") else {}
        return cls(
            ad_account_id=settings["ad_account_id"],
            access_token=settings["access_token"],
            until=today,
            state=state,
            **extra,
        )

    def __init__(
        self,
        *,
        ad_account_id: str,
        access_token: str,
        until: date,
        start: date | None = None,
        state: dict[str, str] | None = None,
        lookback_days: int = 3,
        graph_url: str = GRAPH_URL,
        api_version: str = API_VERSION,
        http: JsonHttp | None = None,
    ) -> None:
        self.account_id = ad_account_id.removeprefix("act_")
        self.access_token = access_token
        self.state: dict[str, str] = dict(state or {})
        self.until = until
        if self.state.get("until"):
            since = date.fromisoformat(self.state["until"]) - timedelta(days=lookback_days)
        else:
            since = start or until - timedelta(days=27)
        self.since = min(since, until)
        self.url = f"{graph_url.rstrip('/')}/{api_version}/act_{self.account_id}/insights"
        self.http = http or JsonHttp(retry_after=meta_retry_after)
        if http is not None:
            self.http.retry_after = meta_retry_after
        self._read = 0

    @property
    def rows_read(self) -> int:
        return self._read

    def _records(self) -> Iterator[dict[str, Any]]:
        params: dict[str, Any] | None = {
            "level": "campaign",
            "time_increment": 1,
            "breakdowns": "country",
            "fields": FIELDS,
            "time_range": json.dumps(
                {"since": self.since.isoformat(), "until": self.until.isoformat()}
            ),
            "limit": 500,
            "access_token": self.access_token,
        }
        url: str | None = self.url
        while url:
            body, _ = self.http.get(url, params)
            for item in body.get("data", []):
                self._read += 1
                yield item
            url = (body.get("paging") or {}).get("next")
            params = None  # the next URL carries every parameter
        self.state["until"] = self.until.isoformat()

    def streams(self) -> list[Stream]:
        def rows() -> Iterator[dict[str, Any]]:
            for item in self._records():
                yield insight_row(item, account_id=self.account_id)

        return [Stream("ad_spend_daily", table("ad_spend_daily"), rows, cursor="date")]
