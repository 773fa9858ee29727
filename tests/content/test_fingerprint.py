"""Approving a variant writes its fingerprint into the audit chain; verify finds it."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from tradewinds.auth import audit
from tradewinds.cli.content_verify import add_commands
from tradewinds.content.fingerprint import (
    ACTION,
    approvals_of,
    approve,
    approved_hashes,
    fingerprint,
    normalise,
)
from tradewinds.content.models import Variant
from tradewinds.db.engine import get_engine, session_scope
from tradewinds.db.models.audit import AuditEntry

runner = CliRunner()


def _variant(text: str) -> Variant:
    return Variant(
        product_id="SKU-1",
        market="DE",
        language="de",
        platform="google",
        field="headline",
        text=text,
        length=len(text),
        limit=30,
        unit="width",
        verdict="pass",
    )


def _cli() -> typer.Typer:
    """The ``content`` group as ``cli/content.py`` builds it, with ``verify`` added."""
    group = typer.Typer()
    add_commands(group)
    group.command("noop", hidden=True)(lambda: None)  # a group of one would lose its name
    return group


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("  Leichte   Laufschuhe\tfür Trails \n", "leichte laufschuhe für trails"),
        ("ＳＡＬＥ　５０％", "sale 50%"),  # full-width letters and the ideographic space
        ("STRASSE", "straße"),
        ("ﬁt for life", "FIT FOR LIFE"),
        ("保温杯\u00a0500ml", "保温杯 500ML"),
    ],
)
def test_normalising_makes_the_same_copy_one_fingerprint(typed: str, same_as: str) -> None:
    assert normalise(typed) == normalise(same_as)
    assert fingerprint(typed) == fingerprint(same_as)
    assert len(fingerprint(typed)) == 64


def test_a_changed_word_or_mark_is_another_creative() -> None:
    assert fingerprint("Laufschuhe für Trails") != fingerprint("Laufschuhe für Trails!")
    assert fingerprint("50% off") != fingerprint("60% off")


def test_approval_is_a_chained_audit_entry_and_verify_finds_it(tenants) -> None:
    text = "Leichte Laufschuhe für Trails"
    with session_scope() as session:
        made = approve(
            session,
            workspace_id=tenants.a.workspace_id,
            actor="owner@alpha.example",
            text=text,
            variant=_variant(text),
            ip="127.0.0.1",
        )
    with session_scope() as session:
        entry = session.get(AuditEntry, made.entry_id)
        assert entry.action == ACTION and entry.target == "sha256:" + fingerprint(text)
        assert entry.details["market"] == "DE" and entry.details["text"] == text
        assert audit.verify_chain(session).ok
        found = approvals_of(
            session, workspace_id=tenants.a.workspace_id, text="  leichte LAUFSCHUHE für trails"
        )
        assert [(a.actor, a.intact, a.details["field"]) for a in found] == [
            ("owner@alpha.example", True, "headline")
        ]
        # the other workspace never approved it
        assert approvals_of(session, workspace_id=tenants.b.workspace_id, text=text) == []
        assert approved_hashes(
            session, workspace_id=tenants.a.workspace_id, texts=[text, "something else"]
        ) == {fingerprint(text)}


def test_verify_command_answers_when_and_by_whom(tenants) -> None:
    text = "保温杯 500ml，一整天都暖"
    with session_scope() as session:
        approve(
            session, workspace_id=tenants.a.workspace_id, actor="owner@alpha.example", text=text
        )
    result = runner.invoke(_cli(), ["verify", text, "--workspace", tenants.a.name])
    assert result.exit_code == 0, result.output
    assert "owner@alpha.example" in result.output and fingerprint(text) in result.output
    assert "intact" in result.output

    as_json = runner.invoke(_cli(), ["verify", text, "-w", tenants.a.workspace_key, "--json"])
    answer = json.loads(as_json.stdout)
    assert answer["approved"] is True and answer["audit_log_intact"] is True
    assert answer["approvals"][0]["approved_by"] == "owner@alpha.example"
    assert answer["sha256"] == fingerprint(text)

    never = runner.invoke(_cli(), ["verify", text, "--workspace", tenants.b.name, "--json"])
    assert never.exit_code == 1
    assert json.loads(never.stdout)["approved"] is False
    plain = runner.invoke(_cli(), ["verify", "Nie freigegeben", "-w", tenants.a.name])
    assert plain.exit_code == 1 and "Never approved" in plain.output

    missing = runner.invoke(_cli(), ["verify", text, "-w", "no-such-shop", "--json"])
    assert missing.exit_code == 1 and "no workspace named" in missing.stdout


def test_an_edited_approval_is_reported_as_altered(tenants) -> None:
    text = "Trail shoes that grip"
    with session_scope() as session:
        made = approve(
            session, workspace_id=tenants.a.workspace_id, actor="owner@alpha.example", text=text
        )
    with get_engine().begin() as conn:  # someone rewrites who approved it, in the database
        conn.execute(
            sa.text("UPDATE audit_log SET actor = 'intruder' WHERE id = :id"), {"id": made.entry_id}
        )
    with session_scope() as session:
        (found,) = approvals_of(session, workspace_id=tenants.a.workspace_id, text=text)
    assert found.actor == "intruder" and found.intact is False
    result = runner.invoke(_cli(), ["verify", text, "-w", tenants.a.name, "--json"])
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert answer["approvals"][0]["intact"] is False and answer["audit_log_intact"] is False


def test_empty_text_cannot_be_approved(tenants) -> None:
    with session_scope() as session, pytest.raises(ValueError, match="empty"):
        approve(session, workspace_id=tenants.a.workspace_id, actor="x", text="   ")


def test_verify_is_a_content_command(tenants) -> None:
    from tradewinds.cli.main import app

    result = runner.invoke(app, ["content", "verify", "never seen", "-w", tenants.a.name])
    assert result.exit_code == 1 and "Never approved" in result.output
