"""Customers → search: find a customer by e-mail, phone, name or id, then open the profile.

Results show personal data masked (``web/masking.py``): enough to tell two customers
apart, not to copy an address out of the page. Who may search is who may open a
customer's profile (``audiences/access.py``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from tradewinds.audiences import access
from tradewinds.audiences.lookup import MAX_RESULTS, Match, search_customers
from tradewinds.errors import InvalidInput, NotFound
from tradewinds.web.deps import WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.masking import mask_digits, mask_email, mask_name

router = APIRouter(prefix="/customers", include_in_schema=False)
ProfilePage = reading(access.CUSTOMER)


def _row(match: Match) -> dict[str, Any]:
    return {
        "customer_id": match.customer_id,
        "name": mask_name(match.first_name, match.last_name),
        "email": mask_email(match.email.strip()) if match.email else "",
        "phone": mask_digits(match.phone) if match.phone else "",
        "country": match.country or "",
        "matched": match.matched,
    }


def _search(ctx: WebContext, query: str) -> list[dict[str, Any]]:
    from tradewinds.warehouse import open_warehouse

    try:
        with open_warehouse(ctx.workspace.key) as warehouse:
            return [_row(m) for m in search_customers(warehouse, query)]
    except NotFound:  # no warehouse yet: nobody to find
        return []


@router.get("/search")
def search_page(request: Request, ctx: ProfilePage, q: str = ""):
    ctx.nav = "customers"
    results: list[dict[str, Any]] | None = None
    error = None
    status = 200
    if q.strip():
        try:
            results = _search(ctx, q)
        except InvalidInput as exc:
            error, status = exc.message, 422
    return render(
        request,
        "customers/search.html",
        ctx.page(q=q, results=results, error=error, limit=MAX_RESULTS),
        status_code=status,
    )
