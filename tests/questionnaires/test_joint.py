"""Joint assessments (DESIGN §14, issue 20 §3): the supplier answers once; each participant
reviews its own copy with its own intake, verdicts, score, findings and notes; clarification
questions reach the supplier once, marked with who asked; the lead sees who joined, reviewed
and completed. Through the API as an outside client, and through the pages."""

from __future__ import annotations

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portal.core.audit.models import AuditEvent
from portal.core.events import event_types
from portal.core.notifications.models import Notification
from questionnaires import assessments as svc
from questionnaires.joint.models import JointParticipant, JointQuestion
from questionnaires.joint.services import joint_accept
from questionnaires.models import AnswerMessage, Assessment, Evidence
from questionnaires.reminders import send_assessment_reminders
from tests.access import PDF, _relationship, assessment_at
from tests.access_joint import _third, joint_inviting_hospital, joint_led_by_hospital
from tests.conftest import api_client_for, client_for

API = "/api/v1"


def _post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def _submitted_on(cast, relationship, template) -> Assessment:
    """A second, ordinary submitted assessment of the hospital (not joint)."""
    a = svc.assessment_create(
        relationship=relationship, template=template, due_date=None, actor=cast.ciso.user
    )
    svc.assessment_send(assessment=a, actor=cast.ciso.user)
    _submit_lead(cast, a)
    return a


def _submit_lead(cast, lead, value="no"):
    svc.answer_save(assessment=lead, code="A-01", value=value, actor=cast.supplier_owner.user)
    svc.assessment_submit(assessment=lead, actor=cast.supplier_owner.user)


# --- through the API, as the three parties ----------------------------------------------------


def test_one_answer_set_two_reviews_through_the_api(cast):
    world = assessment_at(cast, "sent")
    lead = world["assessment"]
    third, third_admin, third_rel = _third(cast)
    lead_api = api_client_for(cast.ciso)
    # the lead makes its assessment joint and invites the third organisation
    invitable = lead_api.get(f"{API}/joint-assessments/invitable/").json()
    assert third.pk in [o["id"] for o in invitable]
    assert cast.hospital.pk not in [o["id"] for o in invitable]
    r = _post(
        lead_api, f"{API}/joint-assessments/", {"assessment": lead.pk, "organisations": [third.pk]}
    )
    assert r.status_code == 201, r.content
    joint = r.json()
    assert joint["role"] == "lead" and joint["assessment"] == lead.pk
    assert [(p["organisation"]["name"], p["status"]) for p in joint["participants"]] == [
        ("Derde Zorg", "invited")
    ]
    # the invited organisation sees the invitation and joins with its own relationship
    guest = api_client_for(third_admin)
    listed = guest.get(f"{API}/joint-assessments/").json()
    assert [(j["id"], j["role"], j["invitation"]) for j in listed] == [
        (joint["id"], "participant", "invited")
    ]
    r = _post(
        guest, f"{API}/joint-assessments/{joint['id']}/accept/", {"relationship": third_rel.pk}
    )
    assert r.status_code == 200, r.content
    assert r.json()["invitation"] == "joined" and r.json()["assessment"] is None
    # the supplier sees one assessment, with the participants, and answers it once
    supplier = api_client_for(cast.supplier_owner)
    mine = supplier.get(f"{API}/assessments/").json()
    rows = mine["results"] if isinstance(mine, dict) else mine
    assert [a["id"] for a in rows] == [lead.pk]
    seen = supplier.get(f"{API}/joint-assessments/{joint['id']}/").json()
    assert seen["role"] == "supplier"
    assert [p["organisation"]["name"] for p in seen["participants"]] == ["Derde Zorg"]
    assert seen["shared_comments"] == []
    _submit_lead(cast, lead)
    # the participant now has its own copy, on its own relationship, in review
    detail = guest.get(f"{API}/joint-assessments/{joint['id']}/").json()
    copy = Assessment.objects.get(pk=detail["assessment"])
    assert copy.relationship == third_rel and copy.joint_source == lead
    assert copy.status == "submitted"
    assert list(copy.answers.values_list("question__code", "value")) == [("A-01", "no")]
    # which the supplier never sees; the lead does not see it either, nor the other way round
    assert supplier.get(f"{API}/assessments/{copy.pk}/").status_code == 404
    assert lead_api.get(f"{API}/assessments/{copy.pk}/").status_code == 404
    assert guest.get(f"{API}/assessments/{lead.pk}/").status_code == 404
    # the participant completes its own review: its own score, residual risk and finding
    svc.answer_review(assessment=copy, code="A-01", verdict="accepted", actor=third_admin.user)
    r = _post(guest, f"{API}/assessments/{copy.pk}/complete/")
    assert r.status_code == 200, r.content
    third_rel.refresh_from_db()
    world["relationship"].refresh_from_db()
    assert third_rel.assessed and not world["relationship"].assessed
    assert third_rel.findings.count() == 1 and world["relationship"].findings.count() == 0
    # the lead sees who joined, reviewed and completed
    row = lead_api.get(f"{API}/joint-assessments/{joint['id']}/").json()["participants"][0]
    assert (row["status"], row["review"], row["reviewed"]) == ("joined", "completed", 1)
    assert row["completed_at"] is not None


def test_joining_after_the_supplier_submitted_gives_the_copy_at_once_with_evidence(cast):
    world = assessment_at(cast, "in_progress")
    lead = world["assessment"]
    lead.template.questions.filter(code="A-01").update(evidence="optional")
    svc.evidence_add(
        assessment=lead, code="A-01", name="beleid.pdf", data=PDF, actor=cast.supplier_owner.user
    )
    svc.answer_message_add(
        assessment=lead, code="A-01", body="Zie het beleid.", membership=cast.supplier_owner
    )
    svc.assessment_submit(assessment=lead, actor=cast.supplier_owner.user)
    svc.answer_message_add(
        assessment=lead, code="A-01", body="Alleen voor ons", internal=True, membership=cast.ciso
    )
    from questionnaires.joint.services import joint_create

    third, third_admin, rel = _third(cast)
    joint = joint_create(assessment=lead, organisations=[third], actor=cast.ciso.user)
    seat = joint_accept(seat=joint.seats.get(), relationship=rel, actor=third_admin.user)
    copy = seat.assessment
    ev = Evidence.objects.get(answer__assessment=copy)
    assert ev.name == "beleid.pdf" and ev.file.read() == PDF
    # the supplier's message travels with the answer; the lead's internal note never does
    assert list(AnswerMessage.objects.filter(answer__assessment=copy).values_list("body")) == [
        ("Zie het beleid.",)
    ]


def test_a_participants_question_reaches_the_supplier_once_marked_with_who_asked(
    cast, django_capture_on_commit_callbacks
):
    world = joint_inviting_hospital(cast, "submitted", join=True)
    copy, lead = world["seat"].assessment, world["lead"]
    svc.answer_review(
        assessment=copy,
        code="A-01",
        verdict="clarification",
        message="Geldt MFA ook voor beheerders?",
        actor=cast.ciso.user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        svc.assessment_request_clarification(assessment=copy, actor=cast.ciso.user)
    lead.refresh_from_db()
    copy.refresh_from_db()
    assert lead.status == "clarification_requested" and copy.status == "clarification_requested"
    q = JointQuestion.objects.get()
    assert (q.code, q.asked_by, q.text) == ("A-01", cast.hospital, "Geldt MFA ook voor beheerders?")
    # the lead's own verdict is untouched; the supplier sees the question and may change A-01
    assert lead.answers.get().verdict == ""
    page = client_for(cast.supplier_owner).get(reverse("assessment_detail", args=[lead.pk]))
    body = page.content.decode()
    assert "Clarification asked by" in body and "Ziekenhuis Test" in body
    assert "Geldt MFA ook voor beheerders?" in body
    # told by notification, with a link to the questionnaire it answers (the lead's)
    note = Notification.objects.filter(user=cast.supplier_owner.user).latest("pk")
    assert note.url == reverse("assessment_detail", args=[lead.pk])
    svc.answer_save(assessment=lead, code="A-01", value="yes", actor=cast.supplier_owner.user)
    svc.assessment_submit(assessment=lead, actor=cast.supplier_owner.user)
    copy.refresh_from_db()
    answer = copy.answers.get()
    assert copy.status == "submitted" and (answer.value, answer.verdict) == ("yes", "")
    assert JointQuestion.objects.get().answered_at is not None


def test_a_question_after_the_lead_completed_is_refused_and_changes_nothing(cast):
    world = joint_inviting_hospital(cast, "in_review", join=True)
    copy, lead = world["seat"].assessment, world["lead"]
    svc.assessment_complete(assessment=lead, actor=None)
    svc.answer_review(assessment=copy, code="A-01", verdict="clarification", actor=cast.ciso.user)
    r = _post(api_client_for(cast.ciso), f"{API}/assessments/{copy.pk}/request-clarification/")
    assert r.status_code == 409, r.content
    assert "niet meer in antwoorden" in r.json()["detail"]  # Dutch: the default language
    copy.refresh_from_db()
    assert copy.status == "in_review" and not JointQuestion.objects.exists()


def test_adopting_the_leads_verdicts_keeps_ones_own(cast):
    world = joint_inviting_hospital(cast, "in_review", join=True)
    client = api_client_for(cast.ciso)
    url = f"{API}/joint-assessments/{world['joint'].pk}/adopt-lead-verdicts/"
    r = _post(client, url)
    assert r.status_code == 200 and r.json() == {"adopted": 1}
    copy = world["seat"].assessment
    copy.refresh_from_db()
    answer = copy.answers.get()
    assert answer.verdict == "accepted" and answer.reviewed_by == cast.ciso.user
    assert copy.status == "in_review" and copy.scores["provisional"]["control_score"] is not None
    # a participant's own verdict is never overwritten
    svc.answer_review(assessment=copy, code="A-01", verdict="rejected", actor=cast.ciso.user)
    assert _post(client, url).json() == {"adopted": 0}
    assert copy.answers.get().verdict == "rejected"


def test_adopting_before_the_copy_exists_is_a_conflict(cast):
    world = joint_inviting_hospital(cast, "sent", join=True)
    r = _post(
        api_client_for(cast.ciso),
        f"{API}/joint-assessments/{world['joint'].pk}/adopt-lead-verdicts/",
    )
    assert r.status_code == 409


# --- bad input changes nothing ----------------------------------------------------------------


def test_accepting_with_a_relationship_with_another_supplier_is_refused(cast):
    world = joint_inviting_hospital(cast)
    from suppliers.services import relationship_create, supplier_register

    link = supplier_register(care_org=cast.hospital, name="Iets Anders", actor=cast.ciso.user)
    other = relationship_create(
        care_org=cast.hospital,
        supplier=link.supplier,
        name="Iets anders",
        supplier_types=["cloud"],
        intake={"data": 1, "volume": 1, "continuity": 1, "access": 1, "substitutability": 1},
        actor=cast.procurement.user,
    )
    client = api_client_for(cast.procurement)
    url = f"{API}/joint-assessments/{world['joint'].pk}/accept/"
    r = _post(client, url, {"relationship": other.pk})
    assert r.status_code == 400 and "relationship" in r.json()["errors"]
    assert JointParticipant.objects.get().status == "invited"
    # a relationship of another organisation: 404
    r = _post(client, url, {"relationship": world["lead"].relationship_id})
    assert r.status_code == 404
    assert _post(client, url, {"relationship": world["relationship"].pk}).status_code == 200
    # twice: a conflict, and still one seat
    r = _post(client, url, {"relationship": world["relationship"].pk})
    assert r.status_code == 409
    assert JointParticipant.objects.get().status == "joined"


def test_invitations_only_to_other_care_organisations(cast):
    world = assessment_at(cast, "sent")
    client = api_client_for(cast.ciso)
    for orgs in ([cast.hospital.pk], [cast.supplier.pk], [999999], []):
        r = _post(
            client,
            f"{API}/joint-assessments/",
            {"assessment": world["assessment"].pk, "organisations": orgs},
        )
        assert r.status_code == 400, (orgs, r.content)
    assert not JointParticipant.objects.exists()
    # another organisation's assessment: 404
    r = _post(
        api_client_for(cast.other_care_admin),
        f"{API}/joint-assessments/",
        {"assessment": world["assessment"].pk, "organisations": [cast.hospital.pk]},
    )
    assert r.status_code == 404


def test_a_completed_assessment_or_a_copy_cannot_become_joint(cast):
    world = joint_inviting_hospital(cast, "submitted", join=True)
    client = api_client_for(cast.ciso)
    copy = world["seat"].assessment
    third = world["third"]
    r = _post(
        client,
        f"{API}/joint-assessments/",
        {"assessment": copy.pk, "organisations": [cast.other_care.pk]},
    )
    assert r.status_code == 400
    done = _submitted_on(cast, world["relationship"], copy.template)
    svc.assessment_complete(assessment=done, actor=cast.ciso.user)
    r = _post(
        client, f"{API}/joint-assessments/", {"assessment": done.pk, "organisations": [third.pk]}
    )
    assert r.status_code == 409


# --- privacy ----------------------------------------------------------------------------------


def test_notes_stay_private_unless_shared_and_never_reach_the_supplier(cast):
    world = joint_inviting_hospital(cast, "submitted", join=True)
    copy = world["seat"].assessment
    svc.answer_message_add(
        assessment=copy, code="A-01", body="Intern: twijfel", internal=True, membership=cast.ciso
    )
    svc.answer_message_add(
        assessment=copy,
        code="A-01",
        body="Gedeeld: vraag naar logging",
        shared=True,
        membership=cast.ciso,
    )
    pk = world["joint"].pk
    third_admin = world["third"].memberships.get()
    for client in (api_client_for(third_admin), api_client_for(cast.ciso)):
        notes = client.get(f"{API}/joint-assessments/{pk}/").json()["shared_comments"]
        assert [(n["code"], n["body"], n["organisation"]) for n in notes] == [
            ("A-01", "Gedeeld: vraag naar logging", "Ziekenhuis Test")
        ]
    assert (
        api_client_for(cast.supplier_owner)
        .get(f"{API}/joint-assessments/{pk}/")
        .json()["shared_comments"]
        == []
    )
    page = client_for(cast.supplier_owner).get(
        reverse("assessment_detail", args=[world["lead"].pk])
    )
    assert "Gedeeld" not in page.content.decode() and "twijfel" not in page.content.decode()
    # sharing outside a joint assessment is refused
    plain = _submitted_on(cast, world["relationship"], copy.template)
    try:
        svc.answer_message_add(
            assessment=plain, code="A-01", body="x", shared=True, membership=cast.ciso
        )
    except Exception as exc:  # noqa: BLE001 - the exact class is Django's ValidationError
        assert "joint" in str(exc)
    else:
        raise AssertionError("a shared note outside a joint assessment was accepted")


def test_a_declined_or_outside_organisation_sees_nothing_of_the_review(cast):
    world = joint_led_by_hospital(cast, "submitted", join=False)
    admin = world["third_admin"]
    client = api_client_for(admin)
    r = _post(client, f"{API}/joint-assessments/{world['joint'].pk}/decline/")
    assert r.status_code == 200 and r.json()["invitation"] == "declined"
    assert r.json()["shared_comments"] == [] and "review" not in str(r.json()["participants"])
    assert (
        api_client_for(cast.other_care_admin)
        .get(f"{API}/joint-assessments/{world['joint'].pk}/")
        .status_code
        == 404
    )


# --- events, notices, reminders ---------------------------------------------------------------


def test_invitation_and_answer_are_told_and_audited(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = joint_led_by_hospital(cast, "sent", join=True)
    third_admin = world["third_admin"].user
    assert Notification.objects.filter(user=third_admin, kind="joint_assessment.invited").exists()
    assert Notification.objects.filter(
        user=cast.ciso.user, kind="joint_assessment.responded"
    ).exists()
    assert Notification.objects.filter(
        user=cast.supplier_owner.user, kind="joint_assessment.joined"
    ).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"joint.created", "joint.invited", "joint.joined"} <= actions
    with django_capture_on_commit_callbacks(execute=True):
        _submit_lead(cast, world["assessment"])
    assert JointParticipant.objects.get().assessment_id is not None
    assert Notification.objects.filter(
        user=third_admin, kind="joint_assessment.copy_ready"
    ).exists()


def test_joint_event_data_is_plain_json_naming_the_receiving_organisation(cast):
    world = joint_led_by_hospital(cast, "sent", join=False)
    seat = world["seat"]
    for name, receiver in (
        ("joint_assessment.invited", world["third"].pk),
        ("joint_assessment.responded", cast.hospital.pk),
    ):
        if name.endswith("responded"):
            seat.status = "joined"
        event = next(e for e in event_types() if e.name == name)
        data = event.build_data(seat=seat, actor=cast.ciso.user)
        assert set(data) == set(event.data) and json.loads(json.dumps(data)) == data
        assert data["care_organisation"] == receiver and data["assessment"] == seat.joint.lead_id


def test_the_copy_is_never_the_suppliers_in_events_and_reminders(cast):
    world = joint_inviting_hospital(cast, "submitted", join=True)
    copy = world["seat"].assessment
    event = next(e for e in event_types() if e.name == "assessment.completed")
    data = event.build_data(assessment=copy, actor=None)
    assert data["supplier"] is None and data["care_organisation"] == cast.hospital.pk
    svc.answer_review(assessment=copy, code="A-01", verdict="clarification", actor=cast.ciso.user)
    svc.assessment_request_clarification(assessment=copy, actor=cast.ciso.user)
    Assessment.objects.filter(pk=copy.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    before = Notification.objects.filter(user=cast.supplier_owner.user).count()
    send_assessment_reminders(today=timezone.localdate())
    urls = list(
        Notification.objects.filter(user=cast.supplier_owner.user)[
            : Notification.objects.count() - before
        ].values_list("url", flat=True)
    )
    assert all(str(copy.pk) not in u.split("/") for u in urls)


# --- the pages --------------------------------------------------------------------------------


def test_the_pages_for_lead_guest_and_supplier(cast):
    world = assessment_at(cast, "sent")
    lead = world["assessment"]
    third, third_admin, third_rel = _third(cast)
    lead_page = client_for(cast.ciso)
    form = lead_page.get(reverse("joint_start", args=[lead.pk]))
    assert form.status_code == 200 and "Derde Zorg" in form.content.decode()
    r = lead_page.post(reverse("joint_start", args=[lead.pk]), {"organisations": [third.pk]})
    assert r.status_code == 302
    joint = lead.joint
    guest = client_for(third_admin)
    page = guest.get(reverse("joint_detail", args=[joint.pk]))
    assert "EPD derde" in page.content.decode()  # its own relationship to join with
    r = guest.post(
        reverse("joint_respond", args=[joint.pk, "accept"]), {"relationship": third_rel.pk}
    )
    assert r.status_code == 302 and JointParticipant.objects.get().status == "joined"
    supplier_page = client_for(cast.supplier_owner).get(
        reverse("assessment_detail", args=[lead.pk])
    )
    assert "Joint assessment" in supplier_page.content.decode()
    assert "Derde Zorg" in supplier_page.content.decode()
    _submit_lead(cast, lead)
    overview = lead_page.get(reverse("joint_detail", args=[joint.pk])).content.decode()
    assert "Derde Zorg" in overview and "Not started" in overview
    seat = JointParticipant.objects.get()
    copy_page = guest.get(reverse("assessment_detail", args=[seat.assessment_id])).content.decode()
    assert "Your own copy of the answers" in copy_page
    listing = guest.get(reverse("joint_list")).content.decode()
    assert "Leverancier B.V." in listing


def test_the_joint_list_empty_state_in_dutch(cast):
    _relationship(cast)
    page = client_for(cast.viewer, lang="nl").get(reverse("joint_list")).content.decode()
    assert "Nog geen gezamenlijke beoordelingen." in page


def _epd_question(template) -> None:
    """A second question of the mini template that applies only to EPD suppliers."""
    from questionnaires.models import Question

    first = template.questions.get()
    Question.objects.create(
        template=template,
        section=first.section,
        code="A-02",
        order=2,
        text_nl="EPD-logging?",
        text_en="EPD logging?",
        answer_type="yes_no",
        weight=1,
        required=True,
        applies_to=["epd"],
    )


def test_the_supplier_answers_what_applies_to_every_participant(cast):
    """The lead's relationship is `epd`; a participant joining with a `cloud` relationship before
    the supplier submits makes the supplier answer the cloud questions too, once."""
    world = joint_inviting_hospital(cast, "sent", join=False)
    lead = world["lead"]
    lead.template.questions.filter(code="A-01").update(applies_to=["cloud"])
    world["relationship"].supplier_types = ["cloud"]
    world["relationship"].save(update_fields=["supplier_types"])
    assert "A-01" not in [q.code for q in svc.applicable_questions(lead)]
    joint_accept(seat=world["seat"], relationship=world["relationship"], actor=cast.ciso.user)
    lead.refresh_from_db()
    assert lead.joint_types == ["cloud"]
    assert [q.code for q in svc.applicable_questions(lead)] == ["A-01"]


def test_a_late_participant_sees_which_questions_were_not_asked(cast):
    world = joint_inviting_hospital(cast, "submitted", join=False)
    _epd_question(world["lead"].template)
    world["lead"].relationship.supplier_types = ["cloud"]
    world["lead"].relationship.save(update_fields=["supplier_types"])
    joint_accept(seat=world["seat"], relationship=world["relationship"], actor=cast.ciso.user)
    body = api_client_for(cast.ciso).get(f"{API}/joint-assessments/{world['joint'].pk}/").json()
    assert body["not_asked"] == ["A-02"]
    page = client_for(cast.ciso).get(reverse("joint_detail", args=[world["joint"].pk]))
    assert "not asked of the supplier" in page.content.decode()


def test_the_list_costs_the_same_queries_for_one_joint_or_five(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from questionnaires.joint.services import joint_create

    world = joint_led_by_hospital(cast, "sent", join=True)
    client = api_client_for(cast.ciso)
    url = f"{API}/joint-assessments/"
    client.get(url)  # the token's first use records it; not part of the comparison
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()) == 1
    for _ in range(4):
        a = svc.assessment_create(
            relationship=world["relationship"],
            template=world["assessment"].template,
            due_date=None,
            actor=cast.ciso.user,
        )
        joint_create(assessment=a, organisations=[world["third"]], actor=cast.ciso.user)
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(url).json()) == 5
    assert len(five) == len(one)


def test_a_late_participant_sends_what_was_not_asked_once(cast):
    from tests.access_joint import joint_late_hospital

    world = joint_late_hospital(cast)
    client = api_client_for(cast.procurement)
    url = f"{API}/joint-assessments/{world['joint'].pk}/ask-not-asked/"
    r = _post(client, url)
    assert r.status_code == 201, r.content
    short = Assessment.objects.get(pk=r.json()["assessment"])
    assert r.json()["codes"] == ["A-02"] and short.only_codes == ["A-02"]
    assert short.relationship == world["relationship"] and short.status == "sent"
    assert short.follows_up == world["seat"].assessment
    assert [q.code for q in svc.applicable_questions(short)] == ["A-02"]
    # once: a second request is a conflict and sends nothing more
    assert _post(client, url).status_code == 409
    assert Assessment.objects.filter(follows_up=world["seat"].assessment).count() == 1


def test_a_short_questionnaire_cannot_become_joint(cast):
    world = joint_late_hospital_short(cast)
    r = _post(
        api_client_for(cast.ciso),
        f"{API}/joint-assessments/",
        {"assessment": world["short"].pk, "organisations": [cast.other_care.pk]},
    )
    assert r.status_code == 400


def joint_late_hospital_short(cast):
    from questionnaires.joint.review import ask_not_asked
    from tests.access_joint import joint_late_hospital

    world = joint_late_hospital(cast)
    world["short"] = ask_not_asked(seat=world["seat"], actor=cast.ciso.user)
    return world


def test_a_file_added_in_a_clarification_round_reaches_the_copy(cast):
    world = joint_inviting_hospital(cast, "submitted", join=True)
    copy, lead = world["seat"].assessment, world["lead"]
    lead.template.questions.filter(code="A-01").update(evidence="optional")
    svc.answer_review(
        assessment=copy,
        code="A-01",
        verdict="clarification",
        message="Bewijs?",
        actor=cast.ciso.user,
    )
    svc.assessment_request_clarification(assessment=copy, actor=cast.ciso.user)
    svc.evidence_add(
        assessment=lead, code="A-01", name="mfa.pdf", data=PDF, actor=cast.supplier_owner.user
    )
    svc.assessment_submit(assessment=lead, actor=cast.supplier_owner.user)
    answer = copy.answers.get()
    assert answer.value == "yes" and answer.verdict == ""  # asked about: reviewed again
    assert list(answer.evidence.values_list("name", flat=True)) == ["mfa.pdf"]
