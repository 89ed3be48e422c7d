"""`manage.py seed_bench`: the load test's portfolio, here with tiny numbers."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from contracts.models import ChecklistItem, Contract, ExitNote
from portal.core.accounts.models import Organisation, User
from questionnaires.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Finding,
    Question,
    RiskDecision,
)
from suppliers.models import Relationship, SubProcessor, SupplierDocument
from tests.ops.figures import HOME_FIGURES


@pytest.fixture
def seeded(db):
    out = io.StringIO()
    call_command("seed_bench", relationships=20, assessments=40, questions=10, stdout=out)
    return out.getvalue()


def test_seed_makes_the_numbers_asked_for(seeded):
    assert Relationship.objects.count() == 20
    assert Assessment.objects.count() == 40
    assert Question.objects.count() == 10
    assert Organisation.objects.filter(kind="supplier").count() == 2
    assert set(Assessment.objects.values_list("status", flat=True)) == set(AssessmentStatus.values)
    for model in (Answer, Finding, RiskDecision, Contract, ChecklistItem, ExitNote):
        assert model.objects.exists(), model.__name__
    assert SubProcessor.objects.exists() and SupplierDocument.objects.exists()
    assert "Ketenwacht-bench-2026" in seeded and "security@bench.example" in seeded


def test_load_test_questionnaires_are_fully_answered_by_the_supplier_user(seeded):
    supplier_user = User.objects.get(email="leverancier@bench.example")
    assert supplier_user.check_password("Ketenwacht-bench-2026")
    mine = Assessment.objects.filter(
        relationship__supplier__memberships__user=supplier_user, status="in_progress"
    )
    assert mine.exists()
    for a in mine:
        assert a.answers.count() == Question.objects.count()


def test_every_figure_on_the_security_home_is_non_zero(seeded):
    client = Client()
    client.force_login(
        User.objects.get(email="security@bench.example"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    ctx = client.get(reverse("home")).context
    assert ctx["relationship_count"] == 20
    assert all(n and r for _tier, n, r in ctx["tiers"]), ctx["tiers"]
    for key in HOME_FIGURES:
        if key not in ("relationship_count", "tiers"):
            assert ctx[key], key


def test_seed_refuses_a_database_that_is_not_empty(seeded):
    with pytest.raises(CommandError, match="empty database"):
        call_command("seed_bench", relationships=5, assessments=5, questions=5)
    assert Relationship.objects.count() == 20


def test_home_lists_the_first_exit_gaps_and_counts_them_all(seeded, monkeypatch):
    """With 2,000 relationships the home page listed every gap (0.5 s, 90 KB): now the first
    few, the count, and a link to the portfolio list of all of them."""
    from portal.top.dashboards import views

    monkeypatch.setattr(views, "EXIT_SHOWN", 1)
    ExitNote.objects.all().delete()
    live = Relationship.objects.filter(inherent_tier__in=("critical", "high")).exclude(
        status="ended"
    )
    client = Client()
    client.force_login(
        User.objects.get(email="security@bench.example"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    response = client.get(reverse("home"))
    assert len(response.context["exit_missing"]) == 1
    assert response.context["exit_missing_count"] == live.count() > 1
    assert reverse("portfolio_list", args=["exit-missing"]) in response.content.decode()
