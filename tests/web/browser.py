"""Signing in with the test client the way a browser does (form + CSRF token)."""

from __future__ import annotations

import re

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client, email: str, password: str, follow: bool = False):
    page = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=follow,
    )


def post_form(client, page_url: str, action: str, data: dict[str, str], follow: bool = False):
    """Load a page, take its CSRF token, submit a form to ``action``."""
    page = client.get(page_url)
    return client.post(
        action, data={**data, "csrf_token": csrf_from(page.text)}, follow_redirects=follow
    )
