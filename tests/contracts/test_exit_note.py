"""Exit notes: the lock-in function, generation, edits that regeneration never overwrites,
versions, approval by security and board, exit tests, PDF and API (DESIGN §9)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from contracts import exitnote as svc
from contracts.lockin import level_for, lock_in
from contracts.models import ExitNote, ExitTest
from portal.core.exceptions import Conflict
from portal.core.notifications.models import Notification
from suppliers.services import relationship_update
from tests.access import _finding
from tests.conftest import client_for

OPEN = {
    "intake.substitutability": 0,
    "intake.volume": 0,
    "supplier.types": ["cloud"],
    "answer.EXIT-01": "self_full",
    "answer.EXIT-02": ["fhir", "csv"],
    "answer.EXIT-03": "yes",
    "answer.EXIT-04": 6,
    "answer.EXIT-06": "yes",
    "answer.LOC-04": "no",
    "answer.BCK-05": "yes",
    "answer.LOG-03": "yes",
    "answer.EXIT-05": "yes",
    "checklist.EXIT-ASSIST": "present",
}


@pytest.mark.parametrize(
    ("change", "factor", "points"),
    [
        ({"intake.substitutability": 3}, "substitutability", 3),
        ({"intake.substitutability": 2}, "substitutability", 1),
        ({"answer.EXIT-01": "no"}, "export", 5),
        ({"answer.EXIT-01": "partial"}, "export", 3),
        ({"answer.EXIT-01": "on_request"}, "export", 1),
        ({"answer.EXIT-02": ["proprietary"]}, "formats", 3),
        ({"answer.EXIT-03": "no"}, "dictionary", 2),
        ({"answer.EXIT-06": "no"}, "escrow", 2),
        ({"checklist.EXIT-ASSIST": "missing"}, "exit_clause", 3),
        ({"checklist.EXIT-ASSIST": None}, "exit_clause", 3),
        ({"contract.months_left": 48}, "term", 1),
        ({"contract.notice_months": 12}, "notice", 1),
        ({"intake.volume": 3}, "volume", 2),
        ({"answer.LOC-04": "yes"}, "jurisdiction", 2),
        ({"fourth_party.non_eu_parent": True}, "jurisdiction", 1),
        ({"answer.BCK-05": "no"}, "copy", 2),
        ({"answer.LOG-03": "no"}, "logs", 2),
        ({"answer.EXIT-05": "no"}, "exit_costs", 1),
        ({"answer.EXIT-01": None}, "export", 1),  # unknown counts one point
    ],
)
def test_each_factor(change, factor, points):
    assert lock_in(OPEN).score == 0 and lock_in(OPEN).level == "low"
    result = lock_in({**OPEN, **change})
    assert [(r.factor, r.points) for r in result.reasons] == [(factor, points)]
    assert result.reasons[0].nl and result.reasons[0].en


def test_combined_cases_and_thresholds():
    epd_closed = {
        **OPEN,
        "supplier.types": ["epd"],
        "intake.substitutability": 3,
        "intake.volume": 3,
        "answer.EXIT-01": "on_request",
        "answer.EXIT-02": ["pdfa"],  # an EPD without FHIR or zibs
        "answer.NL-02": "no",
        "checklist.EXIT-ASSIST": "negotiating",
    }
    result = lock_in(epd_closed)
    assert result.score == 3 + 2 + 1 + 2 + 3 + 3 and result.level == "high"
    assert [level_for(n) for n in (0, 5, 6, 11, 12)] == ["low", "low", "medium", "medium", "high"]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            k: st.none()
            | st.integers(-2, 60)
            | st.text(max_size=8)
            | st.lists(st.sampled_from(["fhir", "zib", "proprietary", "csv"]))
            for k in OPEN
        },
    )
)
def test_lock_in_never_crashes_and_scores_add_up(facts):
    result = lock_in(facts)
    assert result.score == sum(r.points for r in result.reasons) >= 0
    assert result.level == level_for(result.score)


def test_generated_at_completion_with_lock_in_and_actions(cast):
    rel = _finding(cast)["relationship"]
    note = ExitNote.objects.get(relationship=rel)
    keys = [s.key for s in note.sections.all()]
    assert keys == list(svc.SECTIONS)
    assert note.lock_in in ("medium", "high") and note.lock_in_reasons
    actions = note.sections.get(key="actions").body
    assert "A-01" in actions and "EXIT-ASSIST" in actions
    scope = note.sections.get(key="scope").body
    assert "geen certificaat" in scope and "geen contract" in scope.lower()
    assert note.versions.count() == 1


def test_regeneration_never_overwrites_an_edit(cast):
    rel = _finding(cast)["relationship"]
    note = rel.exit_note
    version = note.versions.first().number
    svc.exit_section_save(
        note=note,
        key="alternatives",
        body="Marktverkenning gedaan: twee alternatieven.",
        actor=cast.ciso.user,
        version=version,
    )
    # A stale save (an older version number) is refused.
    with pytest.raises(Conflict):
        svc.exit_section_save(
            note=note, key="alternatives", body="Oud", actor=cast.ciso.user, version=version
        )
    relationship_update(
        relationship=rel, actor=cast.procurement.user, intake={"substitutability": 1}
    )
    svc.exit_note_generate(relationship=rel, actor=cast.ciso.user)
    section = note.sections.get(key="alternatives")
    assert section.body == "Marktverkenning gedaan: twee alternatieven."
    assert "binnen zes maanden" in section.proposal
    svc.exit_proposal_decide(note=note, key="alternatives", accept=False, actor=cast.ciso.user)
    section.refresh_from_db()
    assert (section.body, section.proposal) == ("Marktverkenning gedaan: twee alternatieven.", "")
    rel.refresh_from_db()
    svc.exit_note_generate(relationship=rel, actor=cast.ciso.user)  # nothing new to propose
    section.refresh_from_db()
    assert section.proposal == ""


def test_script_is_neutralised_and_versions_compare(cast):
    rel = _finding(cast)["relationship"]
    note = rel.exit_note
    client = client_for(cast.ciso)
    r = client.post(
        reverse("exit_section_save", kwargs={"pk": rel.pk, "key": "triggers"}),
        {"body": "<script>alert('x')</script>\x00Faillissement", "version": 1},
    )
    assert r.status_code == 302
    page = client.get(reverse("exit_note", kwargs={"pk": rel.pk})).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert note.sections.get(key="triggers").body == "<script>alert('x')</script>Faillissement"
    versions = client.get(reverse("exit_note_versions", kwargs={"pk": rel.pk}) + "?a=1&b=2")
    body = versions.content.decode()
    assert (
        'class="kw-diff-added"' in body and "&lt;script&gt;" in body and "<script>alert" not in body
    )


def test_approval_needs_security_and_board_and_locks_the_note(cast):
    rel = _finding(cast)["relationship"]
    note = rel.exit_note
    assert (
        client_for(cast.viewer)
        .post(reverse("exit_note_approve", kwargs={"pk": rel.pk}))
        .status_code
        == 403
    )
    note = svc.exit_note_approve(note=note, membership=cast.ciso)
    assert note.status == "in_approval"
    with pytest.raises(Conflict):
        svc.exit_note_approve(note=note, membership=cast.ciso)
    note = svc.exit_note_approve(note=note, membership=cast.board)
    assert note.status == "approved" and note.board_approved_at and note.security_approved_at
    with pytest.raises(Conflict):  # read-only until a new version is started
        svc.exit_section_save(note=note, key="scope", body="x", actor=cast.ciso.user)
    note = svc.exit_note_new_version(note=note, actor=cast.ciso.user)
    assert (note.status, note.version, note.security_approved_by) == ("draft", 2, None)
    # An edit while partly approved withdraws the approval.
    note = svc.exit_note_approve(note=note, membership=cast.board)
    svc.exit_section_save(note=note, key="scope", body="Nieuwe scope", actor=cast.ciso.user)
    note.refresh_from_db()
    assert (note.status, note.board_approved_by) == ("draft", None)


def test_supplier_never_reads_the_note(cast, as_api):
    rel = _finding(cast)["relationship"]
    for url in (
        reverse("exit_note", kwargs={"pk": rel.pk}),
        reverse("exit_note_pdf", kwargs={"pk": rel.pk}),
    ):
        assert client_for(cast.supplier_owner).get(url).status_code in (403, 404)
    api = reverse("relationship-exit-note", kwargs={"pk": rel.pk})
    assert as_api(cast.supplier_owner).get(api).status_code in (403, 404)
    body = as_api(cast.board).get(api).json()
    assert body["status"] == "draft" and body["version"] == 1
    assert [s["key"] for s in body["sections"]][:2] == ["scope", "lock_in"]
    assert body["lock_in"] in ("low", "medium", "high") and body["lock_in_reasons"]


def test_pdf_reads_back(cast):
    rel = _finding(cast)["relationship"]
    r = client_for(cast.board, lang="nl").get(reverse("exit_note_pdf", kwargs={"pk": rel.pk}))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Exitstrategie: EPD" in text and "Teruggave en verwijdering van gegevens" in text
    assert "Lock-in" in text


def test_page_explains_every_lock_in_factor_in_the_readers_language(cast):
    rel = _finding(cast)["relationship"]
    url = reverse("exit_note", kwargs={"pk": rel.pk})
    nl = client_for(cast.ciso, lang="nl").get(url).content.decode()
    en = client_for(cast.ciso, lang="en").get(url).content.decode()
    assert "README" not in nl and "README" not in en
    assert "Hoe de lock-in wordt bepaald: de factoren" in nl
    assert "Of de export open standaarden gebruikt (vraag EXIT-02)" in nl
    assert "Teruggave en verwijdering van gegevens" in nl and "Data return and deletion" in en
    assert "How the lock-in is rated: the factors" in en
    assert "Whether the export uses open standards (question EXIT-02)" in en
    assert en.count("<dt>") == nl.count("<dt>") == 15


def test_the_same_note_in_english_and_dutch(cast):
    rel = _finding(cast)["relationship"]
    nl, en = svc.generate_texts(rel, "nl"), svc.generate_texts(rel, "en")
    assert nl.keys() == en.keys() == set(svc.SECTIONS)
    assert nl["steps"].splitlines()[1] == "2. Proefexport en controle op volledigheid."
    assert en["steps"].splitlines()[1] == "2. Trial export and completeness check."
    assert nl["lock_in"].startswith("Lock-in: ") and "laag tot 5, middel tot 11" in nl["lock_in"]
    assert "low up to 5, medium up to 11" in en["lock_in"]
    assert "Clausule EXIT-ASSIST: ontbreekt." in nl["transition"]
    assert "Clause EXIT-ASSIST: missing." in en["transition"]


def test_exit_tests_and_yearly_reminder(cast):
    rel = _finding(cast)["relationship"]  # critical
    today = timezone.localdate()
    assert svc.exit_test_reminders(today=today) == 1  # never tested: due now
    assert svc.exit_test_reminders(today=today) == 0  # once
    with pytest.raises(ValidationError):
        svc.exit_test_record(
            relationship=rel,
            actor=cast.ciso.user,
            tested_on=today + timedelta(days=3),
            kind="tabletop",
            participants="CISO",
            outcome="passed",
        )
    client_for(cast.ciso).post(
        reverse("exit_test_add", kwargs={"pk": rel.pk}),
        {
            "tested_on": today.isoformat(),
            "kind": "technical",
            "outcome": "partly",
            "participants": "CISO, ICT",
            "actions": "Logexport herhalen",
        },
    )
    assert ExitTest.objects.get().outcome == "partly"
    assert svc.exit_test_reminders(today=today + timedelta(days=200)) == 0
    later = date(today.year + 1, today.month, min(today.day, 28)) + timedelta(days=3)
    assert svc.exit_test_reminders(today=later) == 1
    assert Notification.objects.filter(user=cast.procurement.user).count() >= 2
    page = client_for(cast.viewer).get(reverse("exit_note", kwargs={"pk": rel.pk})).content.decode()
    assert "Logexport herhalen" in page
