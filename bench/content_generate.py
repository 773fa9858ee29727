"""Benchmark: the template engine writes 1,000 products × 5 markets × 3 fields × 5 variants,
each fitted to its field and checked by the compliance engine.

The products are the first distinct stock items of the UCI Online Retail data set in
../shared/data (real, ALL-CAPS catalogue descriptions with their unit prices), so the
capitalisation fixes and shortening run as they would on a seller's feed. Rule packs are
compiled inside the timed run. Goal: <= 60 s on the development machine.

    .venv/bin/python bench/content_generate.py [--products 1000] [--platform google]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import time
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

from tradewinds.content.engine import generate
from tradewinds.content.models import GenerationRequest, Product

ROOT = Path(__file__).resolve().parents[1]
RETAIL = ROOT.parent / "shared" / "data" / "online_retail" / "online_retail_non_uk.csv.gz"
FIELDS = {
    "google": ["headline", "description", "path"],
    "meta": ["primary_text", "headline", "description"],
    "amazon": ["title", "bullet_point", "headline"],
    "tiktok": ["ad_text"],
}
MARKETS = ["DE", "FR", "JP", "US", "SA"]
COLOURS = ("PINK", "RED", "BLUE", "GREEN", "WHITE", "BLACK", "IVORY", "GOLD", "SILVER")


def load_products(limit: int) -> list[Product]:
    products: list[Product] = []
    seen: set[str] = set()
    with gzip.open(RETAIL, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code, title = row["StockCode"].strip(), (row["Description"] or "").strip()
            if not title or code in seen or not code[:1].isdigit():
                continue
            seen.add(code)
            price = Decimal(row["UnitPrice"] or "0")
            colour = next((c for c in COLOURS if c in title.split()), None)
            products.append(
                Product(
                    id=code,
                    title=title,
                    price=price if price > 0 else None,
                    currency="GBP",
                    attributes={"colour": colour.lower()} if colour else {},
                    brand="Tradewinds Gifts",
                )
            )
            if len(products) == limit:
                break
    return products


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--platform", default="google", choices=sorted(FIELDS))
    parser.add_argument("--n", type=int, default=5)
    args = parser.parse_args()
    products = load_products(args.products)
    request = GenerationRequest(
        products=products,
        markets=MARKETS,
        platform=args.platform,
        fields=FIELDS[args.platform],
        n=args.n,
        today=date(2026, 12, 3),
    )
    asked = len(products) * len(MARKETS) * len(request.fields) * args.n
    started = time.perf_counter()
    result = generate(request)
    seconds = time.perf_counter() - started
    variants = len(result.variants)
    print(
        f"products={len(products)} markets={len(MARKETS)} fields={len(request.fields)} "
        f"n={args.n} platform={args.platform}"
    )
    print(f"asked {asked} variants: {variants} written, {len(result.dropped)} candidates dropped")
    print(f"seconds: {seconds:.1f}  variants/s: {variants / seconds:,.0f}  (goal <= 60 s)")
    reasons = Counter(d.reason.split(" (")[0] for d in result.dropped)
    for reason, count in reasons.most_common(5):
        print(f"  dropped {count:6}  {reason}")


if __name__ == "__main__":
    main()
