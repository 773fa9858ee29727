"""The compliance pages explain each finding, pack and bad pack in the page's language;
what a workspace's own pack says is shown as written."""

from __future__ import annotations

from markupsafe import escape

from tradewinds.compliance.loader import builtin_packs

from ..compliance.samples import BRAND_PACK
from .browser import csrf_from, login, post_form

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}


def _check(client, headers, **form):
    page = client.get("/compliance", headers=headers)
    data = {"market": "US", "platform": "", "field": "", "action": "check", **form}
    return client.post(
        "/compliance", data={**data, "csrf_token": csrf_from(page.text)}, headers=headers
    )


def test_a_finding_is_explained_in_chinese(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    result = _check(client, CHINESE, text="The cheapest sofas, risk-free", market="UK")
    assert result.status_code == 200 and '<html lang="zh-Hans"' in result.text
    english = builtin_packs()["global"].rules[4].message  # "Risk-free" and guaranteed results…
    assert english.startswith('"Risk-free"')
    assert str(escape(english)) not in result.text
    cell = '<td data-testid="finding-message">“零风险”和保证效果是在承诺任何产品都无法保证的结果'
    assert cell in result.text  # the table
    assert 'title="claim.guarantee.risk-free: “零风险”' in result.text  # the highlight's tip
    assert "禁止</span>" in result.text  # the severity, in words


def test_the_engines_note_is_translated(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    result = _check(client, CHINESE, text="Sofas", market="NZ")
    assert "没有适用于市场“NZ”的规则包：仅检查了通用规则。" in result.text
    assert "Tradewinds 规则包覆盖范围" in result.text
    assert "No rule pack for market" not in result.text


def test_the_rule_packs_are_listed_in_german(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/compliance/packs", headers={"Accept-Language": "de-DE"}).text
    assert "<strong>Regeln für alle Märkte</strong>" in page
    assert "Rules for every market" not in page
    assert "In Deutschland müssen gesponserte oder Influencer-Inhalte deutlich" in page
    assert str(escape(builtin_packs()["de"].description)) not in page
    assert "· alle Märkte" in page  # the global pack's scope


def test_an_own_packs_words_and_reasons(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    bad = BRAND_PACK.replace("severity: block", "severity: loud")
    page = client.get("/compliance/own-packs", headers=CHINESE)
    refused = client.post(
        "/compliance/own-packs",
        data={"yaml": bad, "csrf_token": csrf_from(page.text)},
        headers=CHINESE,
    )
    assert refused.status_code == 422
    assert "<p>规则包无效：</p>" in refused.text
    assert "取值应为 &#39;block&#39;, &#39;warn&#39; or &#39;info&#39;" in refused.text
    added = post_form(
        client, "/compliance/own-packs", "/compliance/own-packs", {"yaml": BRAND_PACK}, follow=True
    )
    assert added.status_code == 200
    result = _check(client, CHINESE, text="Better than Globex")
    # the workspace's own words, in its own direction
    assert '<td data-testid="finding-message" dir="auto">Do not name competitors.</td>' in (
        result.text
    )


def test_a_pack_that_is_not_user_scoped_says_why(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    market_pack = BRAND_PACK.replace("scope: user", "scope: market")
    page = post_form(
        client, "/compliance/own-packs", "/compliance/own-packs", {"yaml": market_pack}
    )
    assert page.status_code == 422
    assert "<p>A workspace&#39;s own pack must have &#39;scope: user&#39;</p>" in page.text


def test_an_own_pack_that_borrows_a_built_in_sentence_is_shown_as_written(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    borrowed = BRAND_PACK.replace(
        "Do not name competitors.", "Headlines may not contain exclamation marks."
    )
    post_form(client, "/compliance/own-packs", "/compliance/own-packs", {"yaml": borrowed})
    result = _check(client, CHINESE, text="Better than Globex")
    assert ">Headlines may not contain exclamation marks.</td>" in result.text
    packs = client.get("/compliance/packs", headers=CHINESE).text
    assert '<strong dir="auto">Acme brand terms</strong>' in packs
    assert '<td dir="auto">Headlines may not contain exclamation marks.</td>' in packs
