"""Roles and permissions, loaded from roles.yaml (the one place the matrix lives).

Who may hand out which role follows from the same file (see ``can_grant``): a role may
give another role only if every permission of that role is also its own, and only an
owner may give the owner role. The same rule covers inviting members, changing their
roles, removing them and creating API keys.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, model_validator

from tradewinds.i18n_markers import Text

MATRIX_FILE = Path(__file__).with_name("roles.yaml")
OWNER = "owner"


class RoleSpec(BaseModel):
    description: str
    permissions: list[str]


class PermissionMatrix(BaseModel):
    permissions: dict[str, str]
    roles: dict[str, RoleSpec]

    @model_validator(mode="after")
    def _known_permissions(self) -> PermissionMatrix:
        for role, spec in self.roles.items():
            unknown = [p for p in spec.permissions if p != "*" and p not in self.permissions]
            if unknown:
                raise ValueError(f"role {role!r} names unknown permissions {unknown}")
        return self

    @model_validator(mode="after")
    def _listed_most_powerful_first(self) -> PermissionMatrix:
        names = list(self.roles)
        if not names or names[0] != OWNER or "*" not in self.roles[OWNER].permissions:
            raise ValueError(f"the first role must be {OWNER!r}, with every permission ('*')")
        for i, higher in enumerate(names):
            for lower in names[i + 1 :]:
                if self.granted(higher) < self.granted(lower):
                    raise ValueError(
                        f"role {lower!r} is listed after {higher!r} but may do more; "
                        "list roles from most to least powerful"
                    )
        return self

    def allowed(self, role: str, permission: str) -> bool:
        if permission not in self.permissions:
            raise KeyError(f"unknown permission {permission!r}")
        spec = self.roles.get(role)
        if spec is None:
            return False
        return "*" in spec.permissions or permission in spec.permissions

    def granted(self, role: str) -> frozenset[str]:
        return frozenset(p for p in self.permissions if self.allowed(role, p))


@lru_cache
def matrix() -> PermissionMatrix:
    return PermissionMatrix.model_validate(yaml.safe_load(MATRIX_FILE.read_text()))


def roles() -> list[str]:
    """Every role, from most to least powerful (the order of roles.yaml)."""
    return list(matrix().roles)


def is_role(name: str) -> bool:
    return name in matrix().roles


def allowed(role: str, permission: str) -> bool:
    return matrix().allowed(role, permission)


def rank(role: str) -> int:
    """0 for the most powerful role; used to list roles, never to decide a grant."""
    return roles().index(role)


def grant_refusal(granter_role: str, role: str) -> str | None:
    """Why ``granter_role`` may not hand out ``role`` (None when it may)."""
    if not is_role(granter_role) or not is_role(role):
        return Text(
            "%(granter)s or %(role)s is not a role", granter=repr(granter_role), role=repr(role)
        )
    if role == OWNER and granter_role != OWNER:
        return Text("only an owner can give the owner role")
    beyond = matrix().granted(role) - matrix().granted(granter_role)
    if beyond:
        return Text(
            "the %(role)s role may do things the %(granter)s role may not (%(permissions)s)",
            role=role,
            granter=granter_role,
            permissions=", ".join(sorted(beyond)),
        )
    return None


def can_grant(granter_role: str, role: str) -> bool:
    """May someone holding ``granter_role`` give ``role`` (to a member or an API key)?

    Yes when every permission of ``role`` is one of ``granter_role``'s and ``role`` is not
    owner — owner only an owner may give.
    """
    return grant_refusal(granter_role, role) is None


def grantable_roles(granter_role: str) -> list[str]:
    """The roles ``granter_role`` may hand out, most powerful first."""
    return [r for r in roles() if can_grant(granter_role, r)]


def role_literal() -> Any:
    """The role names as a ``Literal`` type, so API schemas list them as an enum."""
    return Literal.__getitem__(tuple(roles()))
