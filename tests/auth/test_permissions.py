from __future__ import annotations

import pytest

from tradewinds.auth.permissions import (
    PermissionMatrix,
    allowed,
    can_grant,
    grant_refusal,
    grantable_roles,
    matrix,
    rank,
    roles,
)

# Written out by hand from roles.yaml: who may give which role (to a member or a key).
GRANTS = {
    "owner": {"owner", "admin", "marketer", "analyst", "finance", "viewer"},
    "admin": {"admin", "marketer", "analyst", "finance", "viewer"},
    "marketer": {"marketer", "finance", "viewer"},
    "analyst": {"analyst", "finance", "viewer"},
    "finance": {"finance", "viewer"},
    "viewer": {"viewer"},
}


def test_roles_are_the_six_named():
    assert roles() == ["owner", "admin", "marketer", "analyst", "finance", "viewer"]


@pytest.mark.parametrize(
    ("role", "permission", "expected"),
    [
        ("owner", "members.manage", True),
        ("admin", "apikeys.manage", True),
        ("marketer", "data.import", True),
        ("marketer", "members.manage", False),
        ("analyst", "sql.run", True),
        ("analyst", "data.import", False),
        ("finance", "finance.read", True),
        ("finance", "sql.run", False),
        ("viewer", "data.read", True),
        ("viewer", "audiences.export", False),
    ],
)
def test_matrix(role, permission, expected):
    assert allowed(role, permission) is expected


def test_unknown_permission_is_an_error_not_a_silent_no():
    with pytest.raises(KeyError):
        allowed("owner", "does.not.exist")


def test_every_role_may_read_the_workspace():
    assert all(matrix().allowed(r, "workspace.read") for r in roles())


@pytest.mark.parametrize("granter", list(GRANTS))
@pytest.mark.parametrize("role", list(GRANTS))
def test_grant_rule_over_every_pair(granter, role):
    assert can_grant(granter, role) is (role in GRANTS[granter])
    why = grant_refusal(granter, role)
    assert (why is None) is (role in GRANTS[granter])


def test_refusals_say_why():
    assert grant_refusal("admin", "owner") == "only an owner can give the owner role"
    assert "sql.run" in grant_refusal("marketer", "analyst")
    assert "data.import" in grant_refusal("analyst", "marketer")


def test_grantable_roles_are_listed_most_powerful_first():
    assert grantable_roles("admin") == ["admin", "marketer", "analyst", "finance", "viewer"]
    assert grantable_roles("viewer") == ["viewer"]
    assert [rank(r) for r in roles()] == list(range(6))


def test_unknown_roles_grant_nothing():
    assert not can_grant("superuser", "viewer") and not can_grant("owner", "superuser")


def _matrix(roles_in: dict) -> dict:
    return {"permissions": {"a.read": "A", "a.write": "B"}, "roles": roles_in}


def test_roles_file_must_list_owner_first_and_most_powerful_first():
    with pytest.raises(ValueError, match="first role must be 'owner'"):
        PermissionMatrix.model_validate(
            _matrix({"viewer": {"description": "v", "permissions": ["a.read"]}})
        )
    with pytest.raises(ValueError, match="most to least powerful"):
        PermissionMatrix.model_validate(
            _matrix(
                {
                    "owner": {"description": "o", "permissions": ["*"]},
                    "viewer": {"description": "v", "permissions": ["a.read"]},
                    "editor": {"description": "e", "permissions": ["a.read", "a.write"]},
                }
            )
        )
