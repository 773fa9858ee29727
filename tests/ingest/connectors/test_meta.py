"""Meta Marketing API insights connector against a local server replaying documented shapes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from tests.ingest.connectors.replay_server import ReplayServer, Reply
from tradewinds.ingest.connectors.http import ConnectorError, JsonHttp
from tradewinds.ingest.connectors.meta import MetaInsightsSource
from tradewinds.ingest.connectors.sync import sync_source
from tradewinds.ingest.spec import check_row, table

PATH = "/v21.0/act_1234567890/insights"


def insight(day: str, campaign: str, country: str, spend: str, *, purchases: bool = True) -> dict:
    item = {
        "account_id": "1234567890",
        "account_name": "Gift Shop EU",
        "account_currency": "EUR",
        "campaign_id": campaign,
        "campaign_name": f"Spring {campaign[-2:]}",
        "impressions": "15234",
        "clicks": "412",
        "spend": spend,
        "date_start": day,
        "date_stop": day,
        "country": country,
    }
    if purchases:
        item["actions"] = [
            {"action_type": "link_click", "value": "398"},
            {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "7"},
            {"action_type": "omni_purchase", "value": "9"},
            {"action_type": "purchase", "value": "9"},
        ]
        item["action_values"] = [
            {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "301.5"},
            {"action_type": "omni_purchase", "value": "388.20"},
        ]
    return item


THROTTLED = Reply(
    {
        "error": {
            "message": "(#80004) There have been too many calls to this ad-account. Wait a "
            "bit and try again.",
            "type": "OAuthException",
            "code": 80004,
            "error_subcode": 2446079,
            "fbtrace_id": "AbCdEf",
        }
    },
    400,
    {
        "x-business-use-case-usage": json.dumps(
            {
                "1234567890": [
                    {
                        "type": "ads_insights",
                        "call_count": 100,
                        "total_cputime": 28,
                        "total_time": 40,
                        "estimated_time_to_regain_access": 2,
                    }
                ]
            }
        )
    },
)


def serve(server: ReplayServer) -> None:
    next_url = (
        "{base}" + PATH + "?access_token=tok&limit=500&after=MjQZD"
        "&time_increment=1&level=campaign&breakdowns=country"
    )
    server.add(
        PATH,
        THROTTLED,
        Reply(
            {
                "data": [
                    insight("2026-03-01", "23851234567890101", "DE", "120.55"),
                    insight("2026-03-01", "23851234567890101", "FR", "80.10"),
                ],
                "paging": {"cursors": {"before": "MAZDZD", "after": "MjQZD"}, "next": next_url},
            }
        ),
        Reply(
            {
                "data": [
                    insight("2026-03-02", "23851234567890102", "unknown", "3.00", purchases=False)
                ],
                "paging": {"cursors": {"before": "MjQZD", "after": "MjUZD"}},
            }
        ),
    )


def make(server: ReplayServer, sleeps: list[float], **kwargs) -> MetaInsightsSource:
    return MetaInsightsSource(
        ad_account_id="act_1234567890",
        access_token="tok",
        until=date(2026, 3, 2),
        graph_url=server.base,
        http=JsonHttp(sleep=sleeps.append),
        **kwargs,
    )


def test_reads_daily_campaign_country_rows_waiting_out_throttling():
    sleeps: list[float] = []
    with ReplayServer() as server:
        serve(server)
        source = make(server, sleeps, start=date(2026, 3, 1))
        (stream,) = source.streams()
        rows = list(stream.read())
    assert sleeps == [120.0]  # 2 minutes, as the usage header said
    first = server.seen[0].query
    assert (first["level"], first["time_increment"], first["breakdowns"]) == (
        "campaign",
        "1",
        "country",
    )
    assert json.loads(first["time_range"]) == {"since": "2026-03-01", "until": "2026-03-02"}
    assert server.seen[2].query["after"] == "MjQZD"
    assert [(r["date"], r["campaign_id"], r["country"], r["spend"]) for r in rows] == [
        (date(2026, 3, 1), "23851234567890101", "DE", Decimal("120.55")),
        (date(2026, 3, 1), "23851234567890101", "FR", Decimal("80.10")),
        (date(2026, 3, 2), "23851234567890102", "", Decimal("3.00")),
    ]
    assert (rows[0]["conversions"], rows[0]["conversion_value"]) == (
        Decimal("9"),
        Decimal("388.20"),
    )
    assert rows[2]["conversions"] is None
    assert {r["currency"] for r in rows} == {"EUR"}
    assert (rows[0]["impressions"], rows[0]["clicks"]) == (15234, 412)
    for row in rows:
        assert check_row(table("ad_spend_daily"), row) == []
    assert source.state == {"until": "2026-03-02"}


def test_next_run_rereads_the_lookback_window():
    with ReplayServer() as server:
        server.add(PATH, Reply({"data": []}))
        source = make(server, [], state={"until": "2026-03-02"}, lookback_days=3)
        list(source.streams()[0].read())
    assert json.loads(server.seen[0].query["time_range"]) == {
        "since": "2026-02-27",
        "until": "2026-03-02",
    }


def test_expired_token_is_not_retried():
    sleeps: list[float] = []
    with ReplayServer() as server:
        server.add(
            PATH,
            Reply(
                {
                    "error": {
                        "message": "Error validating access token: Session has expired",
                        "type": "OAuthException",
                        "code": 190,
                        "error_subcode": 463,
                    }
                },
                400,
            ),
        )
        source = make(server, sleeps)
        with pytest.raises(ConnectorError) as info:
            list(source.streams()[0].read())
    assert info.value.status == 400 and sleeps == []


def test_sync_is_idempotent(tw_home):
    from tradewinds.warehouse.factory import open_warehouse

    with open_warehouse("meta-test") as wh:
        for _ in range(2):
            with ReplayServer() as server:
                serve(server)
                result = sync_source(source=make(server, [], start=date(2026, 3, 1)), warehouse=wh)
            assert result.errors == []
        assert wh.count("ad_spend_daily") == 3
        total = wh.query("SELECT sum(spend) FROM ad_spend_daily").scalar()
        assert Decimal(str(total)) == Decimal("203.65")
