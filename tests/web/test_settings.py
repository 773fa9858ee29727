"""Settings: the currency picker, the members list and the API keys page."""

from __future__ import annotations

import re

from .browser import login, post_form


def test_currency_picker_lists_current_currencies_with_names(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/settings")
    assert page.status_code == 200
    options = dict(re.findall(r'<option value="([A-Z]{3})"[^>]*>([^<]+)</option>', page.text))
    assert options["USD"] == "USD — US Dollar" and options["JPY"] == "JPY — Japanese Yen"
    assert "ATS" not in options and "BEF" not in options and 120 < len(options) < 200
    german = client.get("/settings", headers={"Accept-Language": "de-DE"})
    assert '<option value="CHF" >CHF — Schweizer Franken</option>' in german.text
    saved = post_form(
        client, "/settings", "/settings", {"currency": "EUR", "timezone": "Europe/Berlin"}
    )
    assert saved.status_code == 200
    assert '<option value="EUR" selected>EUR — Euro</option>' in saved.text


def test_members_and_api_keys_are_listed_with_their_details(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    members = client.get("/settings/members")
    assert members.status_code == 200 and tenants.a.owner_email in members.text
    created = post_form(
        client, "/settings/api-keys", "/settings/api-keys", {"name": "nightly", "role": "analyst"}
    )
    key = re.search(r'data-testid="new-key">([^<]+)<', created.text).group(1)
    listed = client.get("/settings/api-keys").text
    assert key not in listed and "nightly" in listed
    # the owner key of the fixture was used to call the API: its last use is shown
    assert client.get("/api/v1/workspace", headers=tenants.a.headers).status_code == 200
    listed = client.get("/settings/api-keys").text
    last_used = re.findall(r'<td class="num">(never|20\d\d-\d\d-\d\d \d\d:\d\d)</td>', listed)
    assert last_used[0] != "never" and last_used[1] == "never"  # the owner's key, the new one
    revoke = re.findall(r'action="(/settings/api-keys/\d+/revoke)"', listed)
    assert revoke and listed.count('<details class="confirm">') == len(revoke)
    post_form(client, "/settings/api-keys", revoke[-1], {})
    assert "revoked" in client.get("/settings/api-keys").text
