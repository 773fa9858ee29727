"""Pages for capabilities that are not built yet: they say what is coming.

Included after every other page router, so a real page for a section replaces its
placeholder by existing.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from tradewinds.web.deps import MemberDep
from tradewinds.web.frame import NavItem, navigation, render

router = APIRouter(include_in_schema=False)


def _add(item: NavItem) -> None:
    def page(request: Request, ctx: MemberDep):
        ctx.nav = item.key
        return render(request, "placeholder.html", ctx.page(item=item))

    page.__name__ = f"placeholder_{item.key}"
    router.add_api_route(item.path, page, methods=["GET"])


for _item in navigation():
    if _item.coming:
        _add(_item)
