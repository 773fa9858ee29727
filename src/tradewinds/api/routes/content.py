"""Content studio: generate ad copy fitted to each platform field and checked."""

from __future__ import annotations

from fastapi import APIRouter

from tradewinds.api.deps import ContentWriter, SessionDep
from tradewinds.compliance import user_packs
from tradewinds.content.engine import GenerationError, generate
from tradewinds.content.models import GenerationRequest, GenerationResult
from tradewinds.errors import InvalidInput
from tradewinds.i18n_markers import Text

router = APIRouter(prefix="/content", tags=["content"])

# one request answers at once: larger catalogues go through the bulk job
MAX_CANDIDATE_SLOTS = 5_000


@router.post("/generate", response_model=GenerationResult)
def generate_copy(body: GenerationRequest, session: SessionDep, principal: ContentWriter):
    """Variants for each product × market × field (the template backend by default), each
    within its field's limit as the platform counts it and checked against the market's
    and platform's rule packs plus the workspace's own; the rest are listed as dropped with
    the reason."""
    slots = len(body.products) * len(body.markets) * len(body.fields) * body.n
    if slots > MAX_CANDIDATE_SLOTS:
        raise InvalidInput(
            Text(
                "too much for one request: %(slots)s variants asked (at most %(limit)s); "
                "split the products or use the bulk job",
                slots=slots,
                limit=MAX_CANDIDATE_SLOTS,
            ),
            details={"variants": slots, "limit": MAX_CANDIDATE_SLOTS},
        )
    extra = user_packs.enabled_user_packs(session=session, workspace_id=principal.workspace_id)
    try:
        return generate(body, extra_packs=extra)
    except GenerationError as exc:
        raise InvalidInput(str(exc)) from exc
