"""The operations CLI: clear errors, non-zero exit, nothing changed on bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from portal.core.accounts.models import Membership, Organisation, User


def test_create_organisation(db, capsys):
    call_command(
        "create_organisation",
        "zkh-oost",
        "--name",
        "Ziekenhuis Oost",
        "--kind",
        "care",
        "--kvk",
        "11223344",
    )
    org = Organisation.objects.get(slug="zkh-oost")
    assert (org.kind, org.kvk_number) == ("care", "11223344")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad Slug", "--name", "X", "--kind", "care"], "slug"),
        (["ok-slug", "--name", "X", "--kind", "care", "--kvk", "123"], "8 digits"),
        (["ok-slug", "--name", "  ", "--kind", "care"], "name"),
    ],
)
def test_create_organisation_refuses_bad_input(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_organisation", *args)
    assert not Organisation.objects.exists()


def test_create_organisation_refuses_duplicate(cast):
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_organisation", "ziekenhuis", "--name", "Dubbel", "--kind", "care")
    assert Organisation.objects.get(slug="ziekenhuis").name == "Ziekenhuis Test"


def test_add_member_creates_user_and_membership(cast):
    call_command(
        "add_member", "nieuw@zh.test", "ziekenhuis", "board", "--password", "lang-genoeg-wachtwoord"
    )
    user = User.objects.get(email="nieuw@zh.test")
    assert user.check_password("lang-genoeg-wachtwoord")
    assert Membership.objects.get(user=user).role == "board"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x@zh.test", "no-such-org", "board"], "No organisation"),
        (["x@zh.test", "ziekenhuis", "owner"], "not a role"),
        (["not-an-email", "ziekenhuis", "board"], "valid e-mail"),
        (["x@zh.test", "ziekenhuis", "board", "--password", "short"], "12 characters"),
    ],
)
def test_add_member_refuses_bad_input(cast, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("add_member", *args)
    assert not User.objects.filter(email="x@zh.test").exists()


def test_create_api_token_refuses_unknown_membership(cast):
    with pytest.raises(CommandError, match="no active membership"):
        call_command("create_api_token", "ciso@zh.test", "leverancier")


def test_demo_is_idempotent(db, capsys):
    call_command("demo")
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("demo")
    assert counts == (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    out = capsys.readouterr().out
    assert "ciso@zorgciso.example" in out
    remote_ciso = User.objects.get(email="ciso@zorgciso.example")
    assert {m.organisation.kind for m in remote_ciso.memberships.all()} == {"care"}
    assert remote_ciso.memberships.count() == 2
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"admin", "security", "procurement", "board", "viewer", "owner", "respondent"}


def test_demo_shows_every_risk_state(db):
    from questionnaires.models import Finding, FindingUpdate, RiskDecision
    from suppliers.models import Relationship
    from suppliers.selectors import fourth_party_portfolio

    call_command("demo")
    call_command("demo")  # idempotent: nothing is added twice
    assert set(Finding.objects.values_list("status", flat=True)) == {
        "open",
        "remediation_planned",
        "resolved",
        "accepted",
        "withdrawn",
    }
    assert set(RiskDecision.objects.values_list("status", flat=True)) == {
        "proposed",
        "approved",
        "expired",
    }
    assert RiskDecision.objects.filter(finding__isnull=True).count() == 1
    assert FindingUpdate.objects.filter(kind="plan").count() == 2
    assert set(Relationship.objects.values_list("inherent_tier", flat=True)) == {
        "critical",
        "high",
        "medium",
        "low",
    }
    ciso = Membership.objects.get(
        user__email="ciso@zorgciso.example", organisation__slug="rivierenland"
    )
    portfolio = fourth_party_portfolio(membership=ciso)
    assert [p["name"] for p in portfolio["concentration"]] == ["Azure (Microsoft)"]
    assert portfolio["outside_eu"]
    from questionnaires.models import AnswerMessage, Assignment, Evidence
    from suppliers.models import SupplierDocument

    assert SupplierDocument.objects.count() == 4
    from contracts.models import CertificateReview, ChecklistItem, Contract

    assert Contract.objects.count() == 4
    assert {"missing", "negotiating", "present", "waived"} <= set(
        ChecklistItem.objects.values_list("status", flat=True)
    )
    assert CertificateReview.objects.exists()
    from contracts.models import ExitNote, ExitTest

    assert {"draft", "in_approval", "approved"} <= set(
        ExitNote.objects.values_list("status", flat=True)
    )
    assert ExitNote.objects.filter(lock_in="high").exists()
    assert ExitTest.objects.count() == 1
    from questionnaires.models import Assessment

    assert set(Assessment.objects.values_list("status", flat=True)) == {
        "draft",
        "sent",
        "in_progress",
        "submitted",
        "in_review",
        "clarification_requested",
        "completed",
    }
    assert Evidence.objects.filter(source_document__isnull=False).count() == 1
    assert AnswerMessage.objects.exists() and Assignment.objects.count() == 1


def test_command_exits_non_zero_on_bad_input(tmp_path):
    """A real process: the operator sees the message on stderr and a non-zero exit code."""
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "create_organisation",
            "BAD SLUG",
            "--name",
            "x",
            "--kind",
            "care",
        ],
        capture_output=True,
        text=True,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode != 0
    assert "slug" in result.stderr.lower()


def test_demo_has_a_joint_assessment_with_a_participants_copy(db):
    """Rivierenland's questionnaire to WolkZorg is joint; De Linde joined with its own
    relationship and reviews its own copy, with a shared note (idempotent on a second run)."""
    from questionnaires.joint.models import JointAssessment
    from questionnaires.models import AnswerMessage

    call_command("demo")
    call_command("demo")
    joint = JointAssessment.objects.get()
    seat = joint.seats.get()
    assert joint.lead.relationship.care_org.slug == "rivierenland"
    assert joint.lead.relationship.supplier.slug == "wolkzorg"
    assert (seat.care_org.slug, seat.status) == ("de-linde", "joined")
    assert seat.assessment.relationship.care_org.slug == "de-linde"
    assert seat.assessment.answers.count() == joint.lead.answers.count() > 0
    assert (
        AnswerMessage.objects.filter(shared=True, answer__assessment=seat.assessment).count() == 1
    )
