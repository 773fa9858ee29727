"""Roles and permissions, loaded from roles.yaml (the one place the matrix lives)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, model_validator

MATRIX_FILE = Path(__file__).with_name("roles.yaml")


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

    def allowed(self, role: str, permission: str) -> bool:
        if permission not in self.permissions:
            raise KeyError(f"unknown permission {permission!r}")
        spec = self.roles.get(role)
        if spec is None:
            return False
        return "*" in spec.permissions or permission in spec.permissions

    def granted(self, role: str) -> list[str]:
        return [p for p in self.permissions if self.allowed(role, p)]


@lru_cache
def matrix() -> PermissionMatrix:
    return PermissionMatrix.model_validate(yaml.safe_load(MATRIX_FILE.read_text()))


def roles() -> list[str]:
    return list(matrix().roles)


def is_role(name: str) -> bool:
    return name in matrix().roles


def allowed(role: str, permission: str) -> bool:
    return matrix().allowed(role, permission)


ROLE_RANK = {
    name: i for i, name in enumerate(["owner", "admin", "marketer", "analyst", "finance", "viewer"])
}


def can_grant(granter_role: str, role: str) -> bool:
    """Only owners grant owner; admins grant admin and below."""
    if granter_role == "owner":
        return True
    if granter_role == "admin":
        return role != "owner"
    return False
