"""The backend a request asks for: the built-in templates, or the workspace's LLM."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tradewinds.content.engine import CopyBackend
from tradewinds.content.models import GenerationRequest
from tradewinds.i18n_markers import Text


@contextmanager
def backend_for(
    request: GenerationRequest, workspace_id: int | None
) -> Iterator[CopyBackend | None]:
    """``None`` for the template backend (``generate`` builds it from the request), else the
    workspace's LLM backend (``LlmNotConfigured`` when it has none), closed afterwards."""
    if request.backend != "llm":
        yield None
        return
    from tradewinds.content.engine import GenerationError
    from tradewinds.content.llm import LlmBackend

    if workspace_id is None:
        raise GenerationError(
            Text(
                "the LLM backend is the workspace's: name the workspace (its base URL, model "
                "and key are set with `tradewinds llm set`)"
            )
        )
    with LlmBackend(workspace_id) as backend:
        yield backend
