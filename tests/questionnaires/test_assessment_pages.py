"""The assessment pages: send, answer with autosave, submit, review, complete."""

from __future__ import annotations

from django.urls import reverse

from questionnaires.models import Answer, Assessment
from questionnaires.services import banks_load
from tests.access import _relationship, assessment_at
from tests.conftest import client_for


def test_send_proposes_the_bank_that_fits_the_tier(cast):
    banks_load()
    rel = _relationship(cast)["relationship"]  # critical tier
    client = client_for(cast.procurement)
    page = client.get(reverse("assessment_send", kwargs={"pk": rel.pk}))
    assert page.context["proposed"].key == "zorg-leveranciers"
    rel.intake_data = rel.intake_volume = rel.intake_continuity = rel.intake_access = (
        rel.intake_substitutability
    ) = 1
    rel.inherent_tier = "medium"
    rel.save()
    page = client.get(reverse("assessment_send", kwargs={"pk": rel.pk}))
    assert page.context["proposed"].key == "zorg-leveranciers-licht"
    response = client.post(
        reverse("assessment_send", kwargs={"pk": rel.pk}),
        {
            "template": page.context["proposed"].pk,
            "due_date": "2099-01-31",
            "message": "Graag voor eind januari",
        },
    )
    a = Assessment.objects.get(relationship=rel)
    assert (
        response.status_code == 302
        and a.status == "sent"
        and a.template.key == "zorg-leveranciers-licht"
    )


def test_supplier_answers_with_autosave_and_submits(cast):
    a = assessment_at(cast, "sent")["assessment"]
    client = client_for(cast.supplier_owner)
    inbox = client.get(reverse("assessment_list"))
    assert [x[0].pk for x in inbox.context["items"]] == [a.pk]
    url = reverse("assessment_answer_save", kwargs={"pk": a.pk, "code": "A-01"})
    response = client.post(
        url, {"value": "yes", "version": 0, "explanation": "Overal MFA"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response.context["saved_code"] == "A-01"
    # A second tab with the old version gets a clear conflict, nothing is overwritten.
    stale = client.post(url, {"value": "no", "version": 0}, HTTP_HX_REQUEST="true")
    assert stale.context["error_code"] == "A-01" and "meanwhile" in stale.context["error"]
    assert Answer.objects.get(assessment=a).value == "yes"
    client.post(reverse("assessment_submit", kwargs={"pk": a.pk}))
    a.refresh_from_db()
    assert a.status == "submitted"
    page = client.get(reverse("assessment_detail", kwargs={"pk": a.pk}))
    assert page.context["can_answer"] is False  # read-only after submit


def test_submit_lists_missing_answers(cast):
    a = assessment_at(cast, "in_progress")["assessment"]
    Answer.objects.filter(assessment=a).update(value=None)
    response = client_for(cast.supplier_owner).post(
        reverse("assessment_submit", kwargs={"pk": a.pk}), follow=True
    )
    assert "A-01" in response.content.decode()
    assert Assessment.objects.get(pk=a.pk).status == "in_progress"


def test_ciso_reviews_and_completes(cast):
    world = assessment_at(cast, "submitted")
    a = world["assessment"]
    client = client_for(cast.ciso)
    client.post(
        reverse("assessment_answer_review", kwargs={"pk": a.pk, "code": "A-01"}),
        {"verdict": "accepted"},
    )
    client.post(reverse("assessment_complete", kwargs={"pk": a.pk}))
    a.refresh_from_db()
    assert a.status == "completed" and a.control_band == "poor"
    rel_page = client.get(reverse("relationship_detail", kwargs={"pk": world["relationship"].pk}))
    assert rel_page.context["risk"]["assessed"] is True


def test_supplier_page_never_shows_weights_or_review_controls(cast):
    a = assessment_at(cast, "submitted")["assessment"]
    html = (
        client_for(cast.supplier_owner)
        .get(reverse("assessment_detail", kwargs={"pk": a.pk}))
        .content.decode()
    )
    assert "score_override" not in html and "Score override" not in html
    assert "weight" not in html.lower()


def test_history_shows_transitions_and_answer_changes(cast):
    a = assessment_at(cast, "submitted")["assessment"]
    page = client_for(cast.board).get(reverse("assessment_history", kwargs={"pk": a.pk}))
    actions = [e.action for e in page.context["events"]]
    assert actions[:2] == ["assessment.created", "assessment.sent"]
    assert "answer.saved" in actions and "assessment.submitted" in actions
    saved = next(e for e in page.context["events"] if e.action == "answer.saved")
    assert saved.before == {"value": None, "explanation": ""} and saved.after["value"] == "no"


def test_threads_and_internal_notes(cast):
    a = assessment_at(cast, "submitted")["assessment"]
    url = reverse("assessment_answer_message", kwargs={"pk": a.pk, "code": "A-01"})
    client_for(cast.ciso).post(url, {"body": "Twijfel aan deze leverancier", "internal": "on"})
    client_for(cast.ciso).post(url, {"body": "Welke MFA-methode gebruikt u?"})
    client_for(cast.supplier_owner).post(
        url, {"body": "Authenticator-app", "internal": "on"}
    )  # not for suppliers
    supplier_html = (
        client_for(cast.supplier_owner)
        .get(reverse("assessment_detail", kwargs={"pk": a.pk}))
        .content.decode()
    )
    care_html = (
        client_for(cast.viewer)
        .get(reverse("assessment_detail", kwargs={"pk": a.pk}))
        .content.decode()
    )
    assert "Twijfel aan deze leverancier" in care_html
    assert "Twijfel aan deze leverancier" not in supplier_html
    assert "Welke MFA-methode gebruikt u?" in supplier_html
    from questionnaires.models import AnswerMessage

    assert list(AnswerMessage.objects.values_list("internal", flat=True)) == [True, False]


def test_sending_notifies_members_and_new_supplier_lands_in_questionnaire(
    cast, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.test import Client

    from portal.core.accounts.models import Invitation
    from portal.core.notifications.models import Notification
    from questionnaires import assessments as svc
    from suppliers.services import relationship_create, supplier_register

    # A supplier with members: they are notified (after commit).
    with django_capture_on_commit_callbacks(execute=True):
        a = assessment_at(cast, "sent")["assessment"]
    template = a.template
    assert (
        Notification.objects.filter(
            organisation=cast.supplier, url__endswith=f"/assessments/{a.pk}/"
        ).count()
        == 2
    )
    # A brand-new supplier: its owner's invitation opens the questionnaire.
    with django_capture_on_commit_callbacks(execute=True):
        link = supplier_register(
            care_org=cast.hospital,
            name="Nieuw B.V.",
            contact_email="baas@nieuw.test",
            actor=cast.procurement.user,
        )
    rel = relationship_create(
        care_org=cast.hospital,
        supplier=link.supplier,
        name="Nieuw",
        supplier_types=["cloud"],
        intake={"data": 1, "volume": 1, "continuity": 1, "access": 1, "substitutability": 1},
        actor=cast.procurement.user,
    )
    new = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=cast.procurement.user
    )
    first_invitation = mail.outbox[-1].body
    assert "Ziekenhuis Test" in first_invitation  # names the care organisation that invites
    with django_capture_on_commit_callbacks(execute=True):
        svc.assessment_send(assessment=new, actor=cast.procurement.user)
    # The invitation comes again, now naming the questionnaire; the first link is revoked.
    live = Invitation.objects.get(organisation=link.supplier, revoked_at__isnull=True)
    assert live.next_url == f"/assessments/{new.pk}/"
    assert Invitation.objects.filter(organisation=link.supplier).count() == 2
    assert template.title in mail.outbox[-1].body and "Ziekenhuis Test" in mail.outbox[-1].body
    invite_link = next(
        line for line in mail.outbox[-1].body.splitlines() if "/invite/" in line
    ).strip()
    client = Client()
    response = client.post(
        invite_link.replace("http://127.0.0.1:8000", ""),
        {
            "name": "Bea Baas",
            "password1": "een-heel-lang-wachtwoord",
            "password2": "een-heel-lang-wachtwoord",
        },
    )
    assert response["Location"] == f"/assessments/{new.pk}/"
    assert client.get(response["Location"]).status_code == 200
