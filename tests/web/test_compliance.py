"""The compliance pages: check with highlighted findings, apply safe fixes, own packs."""

from __future__ import annotations

from ..compliance.samples import BRAND_PACK
from .browser import login, post_form


def test_check_highlights_findings_and_applies_fixes(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/compliance")
    assert page.status_code == 200 and "Check an ad" in page.text
    form = {
        "text": "FREE sofas, the cheapest!!",
        "market": "UK",
        "platform": "google",
        "field": "description",
        "action": "check",
    }
    result = post_form(client, "/compliance", "/compliance", form)
    assert result.status_code == 200
    assert 'data-testid="verdict"' in result.text and "Blocked" in result.text
    assert '<mark class="sev-block"' in result.text and ">cheapest</mark>" in result.text
    assert "apply-fix" in result.text
    fixed = post_form(client, "/compliance", "/compliance", {**form, "action": "fix"})
    assert 'data-testid="fixed"' in fixed.text
    assert "Free sofas, the great value!" in fixed.text


def test_arabic_text_is_shown_right_to_left(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    form = {
        "text": "الأَفْضَـــل لبشرتك",
        "market": "SA",
        "platform": "",
        "field": "",
        "action": "check",
    }
    result = post_form(client, "/compliance", "/compliance", form)
    assert 'dir="auto" data-testid="highlighted"' in result.text
    assert "<mark" in result.text and "الأَفْضَـــل</mark>" in result.text


def test_packs_page_lists_rules(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/compliance/packs")
    assert page.status_code == 200
    assert "cn.art9.absolute-terms" in page.text and "google.length.field-limit" in page.text


def test_own_pack_rejected_with_line_then_added_and_used(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    bad = BRAND_PACK.replace("severity: block", "severity: loud")
    page = post_form(client, "/compliance/own-packs", "/compliance/own-packs", {"yaml": bad})
    assert page.status_code == 422
    assert 'data-testid="pack-error"' in page.text and "Line 7" in page.text
    added = post_form(
        client, "/compliance/own-packs", "/compliance/own-packs", {"yaml": BRAND_PACK}, follow=True
    )
    assert added.status_code == 200 and "acme-brand" in added.text
    form = {"text": "Better than Globex", "market": "US", "action": "check"}
    result = post_form(client, "/compliance", "/compliance", form)
    assert "acme.competitors" in result.text
