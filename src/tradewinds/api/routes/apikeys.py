"""API keys of the caller's workspace."""

from __future__ import annotations

from fastapi import APIRouter

from tradewinds.api.deps import KeysManager, SessionDep, get_owned
from tradewinds.auth import apikeys
from tradewinds.auth.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from tradewinds.db.models.credentials import ApiKey

router = APIRouter(prefix="/apikeys", tags=["api keys"])


@router.get("", response_model=list[ApiKeyPublic])
def list_keys(session: SessionDep, principal: KeysManager):
    return apikeys.list_keys(session=session, workspace_id=principal.workspace_id)


@router.post(
    "",
    response_model=ApiKeyCreated,
    status_code=201,
    responses={403: {"description": "the caller's role may not create a key with this role"}},
)
def create_key(
    key_in: ApiKeyCreate,
    session: SessionDep,
    principal: KeysManager,
):
    created = apikeys.create_key(
        session=session,
        workspace=principal.workspace,
        role=key_in.role,
        name=key_in.name,
        actor=principal.actor,
        actor_role=principal.role,
    )
    return ApiKeyCreated(
        key=created.key, **ApiKeyPublic.model_validate(created.record).model_dump()
    )


@router.get("/{key_id}", response_model=ApiKeyPublic)
def read_key(
    key_id: int,
    session: SessionDep,
    principal: KeysManager,
):
    return get_owned(session, ApiKey, key_id, principal)


@router.delete("/{key_id}", response_model=ApiKeyPublic)
def revoke_key(
    key_id: int,
    session: SessionDep,
    principal: KeysManager,
):
    get_owned(session, ApiKey, key_id, principal)
    return apikeys.revoke_key(
        session=session, workspace_id=principal.workspace_id, key_id=key_id, actor=principal.actor
    )
