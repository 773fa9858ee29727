"""Invalid-traffic rules as data: ``data/rules.yaml`` (or the workspace's own copy),
validated here and applied to a :class:`~tradewinds.fraud.clicks.ClickLog` column-wise.

:func:`apply` answers a :class:`RuleHits`: one boolean column per rule and the rules' own
score, ``1 − ∏(1 − weight)`` over the rules a click hits (two independent signs of 0.6 make
0.84). Every rule is vectorised: a user-agent pattern is tried once per distinct agent, an
address range once per distinct address.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tradewinds.errors import InvalidInput
from tradewinds.fraud.clicks import ClickLog
from tradewinds.i18n_markers import N_, Text

DATA = Path(__file__).resolve().parent / "data"
RULES_FILE = DATA / "rules.yaml"
RANGES_FILE = DATA / "datacentre_ranges.yaml"

Kind = Literal[
    "burst",
    "datacentre_ip",
    "bot_user_agent",
    "user_agent_pattern",
    "empty_user_agent",
    "fast_conversion",
    "outside_target_country",
    "duplicate_click_id",
    "session",
]

#: the shipped rules' reasons, for the catalogs (a reason of an edited file that is not
#: among them is shown as written)
REASONS = (
    N_("More than %(max_clicks)s clicks from one IP address within %(window_seconds)s seconds"),
    N_("More than %(max_clicks)s clicks from one network (/24) within %(window_seconds)s seconds"),
    N_(
        "More than %(max_clicks)s clicks from one IP address and device within "
        "%(window_seconds)s seconds"
    ),
    N_(
        "The IP address belongs to a data centre or hosting provider (%(provider)s), not a "
        "home or mobile network"
    ),
    N_("The browser announces itself as a bot or crawler"),
    N_("The browser shows signs of a headless or automated browser"),
    N_("The click came with no user agent at all"),
    N_("Installed or converted within %(max_seconds)s seconds of the click: too fast for a person"),
    N_("The click came from a country the campaign does not target"),
    N_("The same click id was already counted"),
    N_("The visitor left the landing page at once (no dwell time)"),
    N_("The visitor never scrolled the landing page"),
    N_("The click was never followed by a page view"),
)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Kind
    weight: float = Field(gt=0, le=1)
    reason: str = Field(min_length=1)
    by: Literal["ip", "subnet", "device"] | None = None
    window_seconds: int | None = Field(default=None, ge=1)
    max_clicks: int | None = Field(default=None, ge=1)
    patterns: list[str] = Field(default_factory=list)
    max_seconds: float | None = Field(default=None, gt=0)
    field: Literal["dwell_seconds", "scroll_depth", "page_views"] | None = None
    at_most: float | None = None

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        needs = {
            "burst": ("by", "window_seconds", "max_clicks"),
            "user_agent_pattern": ("patterns",),
            "fast_conversion": ("max_seconds",),
            "session": ("field", "at_most"),
        }.get(self.kind, ())
        missing = [n for n in needs if getattr(self, n) in (None, [])]
        if missing:
            raise ValueError(f"rule {self.id}: a {self.kind} rule needs {', '.join(missing)}")
        for pattern in self.patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"rule {self.id}: pattern {pattern!r}: {exc}") from exc
        return self

    def text(self, **values: str | int | float) -> Text:
        """The rule's reason with its own values (window, limit …) filled in."""
        params = self.model_dump(
            exclude_none=True, include={"window_seconds", "max_clicks", "max_seconds"}
        )
        params = {k: (int(v) if float(v).is_integer() else v) for k, v in params.items()}
        return Text(self.reason, **params, **values)


class Blend(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: float = Field(default=0.8, ge=0, le=1)
    anomaly: float = Field(default=0.2, ge=0, le=1)


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    flag_threshold: float = Field(default=0.5, gt=0, le=1)
    blend: Blend = Field(default_factory=Blend)
    targets: dict[str, list[str]] = Field(default_factory=dict)
    rules: list[Rule]

    @model_validator(mode="after")
    def _unique(self) -> RuleSet:
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"rule ids must be unique: {', '.join(dupes)}")
        self.targets = {k: [c.strip().upper() for c in v] for k, v in self.targets.items()}
        return self

    def by_id(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


def _yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(
            Text("%(file)s: %(why)s", file=str(path), why=exc.strerror or str(exc))
        ) from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(
            Text("%(file)s is not valid YAML: %(why)s", file=str(path), why=str(exc))
        ) from exc


def load_rules(path: Path | None = None) -> RuleSet:
    """The rule set of ``path`` (default: the shipped ``data/rules.yaml``); a bad file is an
    :class:`InvalidInput` naming the rule and field."""
    path = path or RULES_FILE
    try:
        return RuleSet.model_validate(_yaml(path))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(
            Text("%(file)s, %(field)s: %(why)s", file=str(path), field=where, why=first["msg"]),
            details={"file": str(path), "field": where},
        ) from exc


@dataclass(frozen=True)
class Ranges:
    """IPv4 ranges as sorted integer bounds, and IPv6 networks, each with its provider."""

    starts: np.ndarray
    ends: np.ndarray
    providers: list[str]
    v6: list[tuple[ipaddress.IPv6Network, str]]
    version: str

    def lookup(self, addresses: list[str]) -> list[str]:
        """The provider of each address ('' when none)."""
        out = []
        for text in addresses:
            try:
                addr = ipaddress.ip_address(text)
            except ValueError:
                out.append("")
                continue
            if addr.version == 4:
                value = int(addr)
                i = int(np.searchsorted(self.starts, value, side="right")) - 1
                out.append(self.providers[i] if i >= 0 and value <= self.ends[i] else "")
            else:
                out.append(next((p for net, p in self.v6 if addr in net), ""))
        return out


@lru_cache(maxsize=4)
def load_ranges(path: Path = RANGES_FILE) -> Ranges:
    data = _yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("providers"), dict):
        raise InvalidInput(Text("%(file)s needs a providers: mapping", file=str(path)))
    rows: list[tuple[int, int, str]] = []
    v6: list[tuple[ipaddress.IPv6Network, str]] = []
    for provider, cidrs in data["providers"].items():
        for cidr in cidrs or []:
            try:
                net = ipaddress.ip_network(str(cidr), strict=False)
            except ValueError as exc:
                raise InvalidInput(
                    Text(
                        "%(file)s, %(field)s: %(why)s", file=str(path), field=provider, why=str(exc)
                    )
                ) from exc
            if isinstance(net, ipaddress.IPv4Network):
                rows.append((int(net.network_address), int(net.broadcast_address), str(provider)))
            else:
                v6.append((net, str(provider)))
    rows.sort()
    return Ranges(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
        [r[2] for r in rows],
        v6,
        str(data.get("version", "")),
    )


@lru_cache(maxsize=1)
def _crawler_pattern() -> re.Pattern[str]:
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    return re.compile("|".join(p["pattern"] for p in CRAWLER_USER_AGENTS_DATA))


@dataclass
class RuleHits:
    """Which rules each click hits (``hits[:, j]`` for ``rules[j]``) and the rules' score."""

    rules: list[Rule]
    hits: np.ndarray
    score: np.ndarray
    #: per-click values some reasons name (the provider of a data-centre address)
    providers: np.ndarray | None = None

    def __post_init__(self) -> None:
        rows, cols = np.nonzero(self.hits)
        self._per_row: dict[int, list[int]] = {}
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            self._per_row.setdefault(r, []).append(c)
        self._texts = [r.text() if r.kind != "datacentre_ip" else None for r in self.rules]

    def rule_indexes(self, i: int) -> list[int]:
        """The positions in ``rules`` of the rules click ``i`` hits."""
        return self._per_row.get(i, [])

    def reasons(self, i: int) -> list[Text]:
        out = []
        for j in self.rule_indexes(i):
            text = self._texts[j]
            if text is None:
                provider = str(self.providers[i]) if self.providers is not None else ""
                text = self.rules[j].text(provider=provider)
            out.append(text)
        return out


def _codes(values: pd.Series | np.ndarray) -> np.ndarray:
    from tradewinds.fraud.features import dense

    return dense(values)


def _subnet(ips: pd.Series) -> np.ndarray:
    text = ips.astype(str)
    return text.str.replace(r"\.\d+$", "", regex=True).to_numpy()


def _burst(log: ClickLog, rule: Rule) -> np.ndarray:
    frame = log.frame
    if rule.by == "subnet":
        if not log.real_ips:
            return np.zeros(len(frame), dtype=bool)
        key = _codes(_subnet(frame["ip"]))
    elif rule.by == "device":
        key = _codes(frame["ip"]) * (1 << 24) + _codes(frame["device"])
    else:
        key = _codes(frame["ip"])
    window = max(int(rule.window_seconds or 60), log.resolution_seconds)
    seconds = frame["click_time"].to_numpy().astype("datetime64[s]").astype(np.int64)
    bucket = seconds // window
    combined = _codes(key * (1 << 22) + (bucket - bucket.min()) if len(bucket) else key)
    counts = np.bincount(combined)
    return counts[combined] > int(rule.max_clicks or 0)


def _by_distinct(values: pd.Series, test: Callable[[str], object]) -> np.ndarray:
    codes, uniques = pd.factorize(values.fillna("").astype(str))
    answers = np.array([bool(test(u)) for u in uniques], dtype=bool)
    return answers[codes] if len(uniques) else np.zeros(len(values), dtype=bool)


def _targets(rules: RuleSet, frame: pd.DataFrame) -> np.ndarray:
    if not rules.targets or "country" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    default = set(rules.targets.get("*", []))
    campaigns = frame["campaign"].astype(str)
    pairs = pd.DataFrame({"c": campaigns, "k": frame["country"].fillna("").astype(str)})
    codes, uniques = pd.factorize(pairs["c"] + "\x00" + pairs["k"])
    answers = []
    for u in uniques:
        campaign, country = u.split("\x00", 1)
        allowed = set(rules.targets.get(campaign, [])) or default
        answers.append(bool(allowed) and bool(country) and country not in allowed)
    return np.array(answers, dtype=bool)[codes]


def apply(log: ClickLog, rules: RuleSet, *, ranges: Ranges | None = None) -> RuleHits:
    """Every rule of ``rules`` over every click of ``log``."""
    frame = log.frame
    n = len(frame)
    hits = np.zeros((n, len(rules.rules)), dtype=bool)
    providers: np.ndarray | None = None
    for j, rule in enumerate(rules.rules):
        col = np.zeros(n, dtype=bool)
        if rule.kind == "burst":
            col = _burst(log, rule)
        elif rule.kind == "datacentre_ip" and log.real_ips:
            table = ranges or load_ranges()
            codes, uniques = pd.factorize(frame["ip"].astype(str))
            names = np.array(table.lookup(list(uniques)) or [""], dtype=object)
            providers = names[codes] if len(uniques) else np.array([], dtype=object)
            col = providers != ""
        elif rule.kind == "bot_user_agent" and "user_agent" in frame.columns:
            pattern = _crawler_pattern()
            col = _by_distinct(frame["user_agent"], lambda ua, p=pattern: ua and p.search(ua))
        elif rule.kind == "user_agent_pattern" and "user_agent" in frame.columns:
            pattern = re.compile("|".join(rule.patterns), re.IGNORECASE)
            col = _by_distinct(frame["user_agent"], lambda ua, p=pattern: p.search(ua))
        elif rule.kind == "empty_user_agent" and "user_agent" in frame.columns:
            col = _by_distinct(frame["user_agent"], lambda ua: not ua.strip())
        elif rule.kind == "fast_conversion" and "conversion_time" in frame.columns:
            gap = (frame["conversion_time"] - frame["click_time"]).dt.total_seconds().to_numpy()
            # certainly too fast: even at the far end of the timestamps' precision
            with np.errstate(invalid="ignore"):
                col = ~np.isnan(gap) & (
                    gap + (log.resolution_seconds - 1) < float(rule.max_seconds or 0)
                )
                col &= gap >= -(log.resolution_seconds - 1)
        elif rule.kind == "outside_target_country":
            col = _targets(rules, frame)
        elif rule.kind == "duplicate_click_id" and "click_id" in frame.columns:
            ids = frame["click_id"].fillna("").astype(str)
            col = ids.duplicated(keep="first").to_numpy() & (ids != "").to_numpy()
        elif rule.kind == "session" and rule.field in frame.columns:
            values = frame[rule.field].to_numpy(dtype=float)
            with np.errstate(invalid="ignore"):
                col = ~np.isnan(values) & (values <= float(rule.at_most or 0))
        hits[:, j] = col
    weights = np.array([r.weight for r in rules.rules], dtype=float)
    with np.errstate(divide="ignore"):
        log_keep = np.log1p(-np.minimum(weights, 1 - 1e-12))
    score = 1.0 - np.exp(hits.astype(float) @ log_keep) if len(weights) else np.zeros(n)
    return RuleHits(rules.rules, hits, score, providers)
