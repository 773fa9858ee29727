"""The collector remembers write keys (known and unknown) for a while, then asks again."""

from __future__ import annotations

import asyncio

from tradewinds.ingest.collector import WriteKeyCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_answers_are_kept_for_the_ttl_then_asked_again() -> None:
    asked: list[str] = []

    def resolver(key: str) -> str | None:
        asked.append(key)
        return {"wk_a": "shop-a"}.get(key)

    clock = Clock()
    cache = WriteKeyCache(resolver, ttl=30.0, timer=clock)

    async def look(key: str) -> str | None:
        return await cache.workspace(key)

    assert asyncio.run(look("wk_a")) == "shop-a"
    assert asyncio.run(look("nope")) is None
    clock.now = 29.0
    assert asyncio.run(look("wk_a")) == "shop-a"
    assert asyncio.run(look("nope")) is None
    assert asked == ["wk_a", "nope"]
    clock.now = 31.0
    assert asyncio.run(look("wk_a")) == "shop-a"
    assert asked == ["wk_a", "nope", "wk_a"]


def test_awaitable_resolvers_and_a_bounded_size() -> None:
    async def resolver(key: str) -> str | None:
        return f"ws-{key}"

    cache = WriteKeyCache(resolver, size=2)

    async def run() -> list[str | None]:
        return [await cache.workspace(k) for k in ("a", "b", "c")]

    assert asyncio.run(run()) == ["ws-a", "ws-b", "ws-c"]
    assert len(cache._entries) == 2
