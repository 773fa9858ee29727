"""The content studio's LLM path at 20 concurrent requests against a local
chat-completions server with an artificial latency.

  .venv/bin/python bench/content_llm.py [--requests 400] [--concurrency 20]
      [--latency 0.05] [--repeat 0.25] [--database-url URL | --postgres]

Each request is a whole ``LlmBackend.candidates`` call: prompt, cache look-up, budget
check, HTTP round trip, JSON validation, usage and cache rows in the app DB (SQLite in a
temporary TRADEWINDS_HOME by default, or ``--database-url``). A share ``--repeat`` of the
requests repeats an earlier product, so it is answered from the cache. Prints requests/s,
p50/p95 latency (all, sent, cache hits), cache hits and what the server received.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/content/llm_server.py

from tests.content.llm_server import ChatServer  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05, help="server seconds per answer")
    parser.add_argument("--repeat", type=float, default=0.25, help="share of repeated requests")
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--postgres", action="store_true", help="a fresh schema on the tests' PostgreSQL"
    )
    args = parser.parse_args()
    if args.postgres:
        from tests.services import postgres_schema

        with postgres_schema() as (url, _schema):
            run(args, url)
    else:
        run(args, args.database_url)


def run(args: argparse.Namespace, database_url: str | None) -> None:

    home = Path(tempfile.mkdtemp(prefix="tw-bench-llm-"))
    os.environ["TRADEWINDS_HOME"] = str(home)
    os.environ.pop("TRADEWINDS_WAREHOUSE_URL", None)
    if database_url:
        os.environ["TRADEWINDS_DATABASE_URL"] = database_url
    else:
        os.environ.pop("TRADEWINDS_DATABASE_URL", None)

    from tradewinds.config import reset_settings
    from tradewinds.content.llm import LlmBackend
    from tradewinds.content.llm_settings import LlmSettingsIn, load_config, save_settings
    from tradewinds.content.llm_usage import usage_report
    from tradewinds.content.models import Glossary, Product
    from tradewinds.db.base import utcnow
    from tradewinds.db.engine import dispose_engines, session_scope
    from tradewinds.db.migrate import upgrade
    from tradewinds.workspaces import service
    from tradewinds.workspaces.schemas import WorkspaceCreate

    reset_settings()
    upgrade()
    with session_scope() as session:
        ws = service.create_workspace(
            session=session,
            workspace_in=WorkspaceCreate(
                name=f"LLM bench {home.name}", currency="USD", timezone="UTC", region="us"
            ),
            actor="bench",
        )
        workspace_id = ws.id

    rng = random.Random(7)
    unique = max(1, round(args.requests * (1 - args.repeat)))
    products = [
        Product(id=f"sku-{i}", title=f"Merino hiking socks model {i}", price=Decimal("24.90"),
                currency="EUR", attributes={"material": "merino"})
        for i in range(unique)
    ]  # fmt: skip
    order = list(products) + [rng.choice(products) for _ in range(args.requests - unique)]
    rng.shuffle(order)
    # a repeat must come after its first ask to be a hit; keep each product's first use early
    seen: set[str] = set()
    firsts = [p for p in order if not (p.id in seen or seen.add(p.id))]
    rest = order[len(firsts) :]
    order = firsts + rest

    markets = [("DE", "de"), ("JP", "ja"), ("US", "en"), ("FR", "fr"), ("TH", "th")]
    with ChatServer(latency=args.latency) as server:
        with session_scope() as session:
            save_settings(
                session,
                workspace_id=workspace_id,
                settings=LlmSettingsIn(
                    base_url=server.base_url,
                    model="gpt-4o-mini",
                    price_input_per_1k=Decimal("0.00015"),
                    price_output_per_1k=Decimal("0.0006"),
                    monthly_budget=Decimal("20"),
                ),
                api_key="sk-bench",
                actor="bench",
            )
        backend = LlmBackend(workspace_id)

        def one(product: Product) -> float:
            market, language = markets[int(product.id.split("-")[1]) % len(markets)]
            start = time.perf_counter()
            texts = backend.candidates(
                product, market, language, "google", "headline", 5, "neutral", Glossary()
            )
            elapsed = time.perf_counter() - start
            if not texts:
                raise SystemExit(f"{product.id}: no candidates")
            return elapsed

        # the first asks of each product run first (all misses), then the repeats
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            first_results = list(pool.map(one, firsts))
            repeat_results = list(pool.map(one, rest))
        wall = time.perf_counter() - started
        backend.close()
        received = len(server.requests)

    results = first_results + repeat_results
    latencies, sent, hits = results, first_results, repeat_results
    if backend.cache_hits != len(repeat_results):
        raise SystemExit(f"expected {len(repeat_results)} cache hits, got {backend.cache_hits}")
    with session_scope() as session:
        report = usage_report(session, load_config(session, workspace_id), utcnow())
    db = "PostgreSQL" if database_url else "SQLite"
    print(
        f"LLM path: {len(results)} requests, {args.concurrency} concurrent, server latency "
        f"{args.latency * 1000:.0f} ms, app DB {db}"
    )
    print(f"  throughput      {len(results) / wall:8.1f} requests/s  ({wall:.2f} s wall)")
    print(
        f"  latency (all)   p50 {percentile(latencies, 0.5) * 1000:7.1f} ms   "
        f"p95 {percentile(latencies, 0.95) * 1000:7.1f} ms"
    )
    print(
        f"  latency (sent)  p50 {percentile(sent, 0.5) * 1000:7.1f} ms   "
        f"p95 {percentile(sent, 0.95) * 1000:7.1f} ms   ({len(sent)} requests)"
    )
    print(
        f"  latency (cache) p50 {percentile(hits, 0.5) * 1000:7.1f} ms   "
        f"p95 {percentile(hits, 0.95) * 1000:7.1f} ms   ({len(hits)} hits)"
    )
    print(f"  cache hits      {len(hits)} of {len(results)} ({len(hits) / len(results):.0%})")
    print(f"  server received {received} requests; accounted {report.sent} sent, "
          f"{report.cached} cached, {report.prompt_tokens:,} + {report.completion_tokens:,} "
          f"tokens, cost {report.cost} {report.currency}")  # fmt: skip
    print(f"  mean latency    {statistics.mean(latencies) * 1000:7.1f} ms")
    dispose_engines()  # before a --postgres schema is dropped


if __name__ == "__main__":
    main()
