"""Made-up ad clicks for the demo shop: ordinary shoppers on its Google and Meta campaigns
and the invalid traffic a seller meets (a click farm bursting from data-centre addresses on
one app placement, headless browsers, crawlers, zero-dwell bounces). Seeded, so every
``make run`` shows the same page. No real person's data: addresses are drawn from home
ranges at random, data-centre ones from the shipped ranges file."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from tradewinds.fraud import store
from tradewinds.fraud.rules import RULES_FILE

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
HEADLESS = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36"
)
BOT = "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"
PLACEMENTS = {
    "google": ["google.com", "youtube.com", "dailynews.example", "mobileapp::2-com.example.puzzle"],
    "meta": [
        "facebook.com",
        "instagram.com",
        "https://play.google.com/store/apps/details?id=com.example.flashlight",
    ],
}
FARM_PLACEMENT = {
    "google": "mobileapp::2-com.example.puzzle",
    "meta": "https://play.google.com/store/apps/details?id=com.example.flashlight",
}


def click_rows(
    campaigns: dict[str, list[str]],
    countries: dict[str, float],
    last_day: date,
    *,
    days: int = 90,
    per_day: int = 40,
    seed: int = 21,
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    pairs = [(n, c) for n in ("google", "meta") for c in campaigns.get(n, [])]
    codes, weights = list(countries), np.array(list(countries.values()))
    weights = weights / weights.sum()
    start = datetime.combine(last_day - timedelta(days=days - 1), datetime.min.time())
    n = 0
    for day in range(days):
        base = start + timedelta(days=day)
        for _ in range(per_day):
            network, campaign = pairs[rng.integers(len(pairs))]
            at = base + timedelta(seconds=int(rng.integers(7 * 3600, 23 * 3600)))
            converted = rng.random() < 0.04
            rows.append(
                {
                    "click_id": f"demo-{n}",
                    "click_time": at.isoformat(),
                    "ip": f"{rng.choice([81, 86, 92, 109, 151, 176])}.{rng.integers(1, 255)}."
                    f"{rng.integers(0, 255)}.{rng.integers(1, 255)}",
                    "user_agent": CHROME if rng.random() < 0.5 else IPHONE,
                    "referrer": "https://www.google.com/"
                    if network == "google"
                    else "https://m.facebook.com/",
                    "country": codes[rng.choice(len(codes), p=weights)],
                    "campaign": campaign,
                    "network": network,
                    "placement": PLACEMENTS[network][rng.integers(0, 3)],
                    "conversion_time": (
                        at + timedelta(minutes=int(rng.integers(3, 90)))
                    ).isoformat()
                    if converted
                    else "",
                    "dwell_seconds": int(rng.integers(8, 240)),
                    "scroll_depth": round(float(rng.uniform(0.2, 1)), 2),
                    "page_views": int(rng.integers(1, 6)),
                }
            )
            n += 1
        if day % 3 == 0:  # a click farm: a burst from data-centre addresses on one app
            network, campaign = pairs[day % len(pairs)]
            at = base + timedelta(hours=int(rng.integers(1, 5)))
            farm_ip = f"159.203.{rng.integers(0, 255)}.{rng.integers(1, 255)}"
            for k in range(int(rng.integers(10, 25))):
                rows.append(
                    {
                        "click_id": f"demo-{n}",
                        "click_time": (at + timedelta(seconds=3 * k)).isoformat(),
                        "ip": farm_ip,
                        "user_agent": HEADLESS if k % 2 else CHROME,
                        "referrer": "",
                        "country": ["VN", "BD", "US"][k % 3],
                        "campaign": campaign,
                        "network": network,
                        "placement": FARM_PLACEMENT[network],
                        "conversion_time": "",
                        "dwell_seconds": 0,
                        "scroll_depth": 0,
                        "page_views": 0,
                    }
                )
                n += 1
        if day % 5 == 0:  # a crawler following the ad links
            network, campaign = pairs[(day + 1) % len(pairs)]
            rows.append(
                {
                    "click_id": f"demo-{n}",
                    "click_time": (base + timedelta(hours=3)).isoformat(),
                    "ip": f"51.75.{rng.integers(0, 255)}.{rng.integers(1, 255)}",
                    "user_agent": BOT,
                    "referrer": "",
                    "country": "FR",
                    "campaign": campaign,
                    "network": network,
                    "placement": PLACEMENTS[network][2],
                    "conversion_time": "",
                    "dwell_seconds": 0,
                    "scroll_depth": 0,
                    "page_views": 1,
                }
            )
            n += 1
    return pd.DataFrame(rows).sort_values("click_time", kind="stable")


def load(
    workspace_key: str,
    *,
    campaigns: dict[str, list[str]],
    countries: dict[str, float],
    last_day: date,
) -> str:
    """Write the demo clicks into the workspace's click folder (idempotent)."""
    folder = store.home(workspace_key) / "clicks"
    target = folder / "demo.clicks.csv"
    if target.exists():
        return "demo clicks already there"
    folder.mkdir(parents=True, exist_ok=True)
    # the demo shop's campaigns target its own ad countries: clicks from elsewhere are out
    rules = RULES_FILE.read_text(encoding="utf-8").replace(
        "targets: {}", 'targets:\n  "*": [' + ", ".join(countries) + "]"
    )
    (store.home(workspace_key) / "rules.yaml").write_text(rules, encoding="utf-8")
    frame = click_rows(campaigns, countries, last_day)
    frame.to_csv(target, index=False)
    return f"{len(frame):,} demo ad clicks"
