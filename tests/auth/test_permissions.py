from __future__ import annotations

import pytest

from tradewinds.auth.permissions import allowed, can_grant, matrix, roles


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


def test_granting():
    assert can_grant("owner", "owner") and can_grant("admin", "admin")
    assert not can_grant("admin", "owner") and not can_grant("marketer", "viewer")
