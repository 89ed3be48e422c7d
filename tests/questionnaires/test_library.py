"""Answer once, share many: the library prefills, and nothing unconfirmed reaches a care org."""

from __future__ import annotations

from django.urls import reverse

from portal.core.accounts.services import member_add
from questionnaires import assessments as svc
from questionnaires.models import Answer, LibraryAnswer
from questionnaires.services import template_import
from suppliers.services import relationship_create, supplier_register
from tests.access import MINI_TEMPLATE, assessment_at
from tests.conftest import client_for

INTAKE = {"data": 1, "volume": 1, "continuity": 1, "access": 1, "substitutability": 1}


def _second_customer_assessment(cast, template):
    link = supplier_register(
        care_org=cast.other_care,
        name="Leverancier",
        kvk_number="12345678",
        actor=cast.other_care_admin.user,
    )
    rel = relationship_create(
        care_org=cast.other_care,
        supplier=link.supplier,
        name="Tweede",
        supplier_types=["epd"],
        intake=INTAKE,
        actor=cast.other_care_admin.user,
    )
    a = svc.assessment_create(
        relationship=rel, template=template, due_date=None, actor=cast.other_care_admin.user
    )
    return svc.assessment_send(assessment=a, actor=cast.other_care_admin.user)


def test_submitted_answers_prefill_the_next_customer_but_stay_hidden_until_confirmed(cast):
    first = assessment_at(cast, "submitted")[
        "assessment"
    ]  # the supplier answered "no" and submitted
    assert LibraryAnswer.objects.get(supplier=cast.supplier, code="A-01").value == "no"
    second = _second_customer_assessment(cast, first.template)
    answer = Answer.objects.get(assessment=second)
    assert answer.prefilled and answer.value == "no"
    # The other care organisation sees nothing of it yet.
    ciso_page = client_for(cast.other_care_admin).get(
        reverse("assessment_detail", kwargs={"pk": second.pk})
    )
    assert ciso_page.context["sections"][0]["items"][0]["a"] is None
    assert svc.progress(second)["answered"] == 0
    # The supplier sees it, marked for confirmation.
    supplier_page = client_for(cast.supplier_owner).get(
        reverse("assessment_detail", kwargs={"pk": second.pk})
    )
    assert "please confirm" in supplier_page.content.decode()
    svc.answer_save(
        assessment=second, code="A-01", value="no", version=0, actor=cast.supplier_owner.user
    )
    answer.refresh_from_db()
    assert not answer.prefilled and svc.progress(second)["answered"] == 1


def test_unconfirmed_prefill_is_dropped_at_submission(cast):
    extra = dict(MINI_TEMPLATE, key="mini2")
    extra["sections"] = [dict(MINI_TEMPLATE["sections"][0])]
    optional = dict(MINI_TEMPLATE["sections"][0]["questions"][0], code="A-02", required=False)
    extra["sections"][0]["questions"] = [MINI_TEMPLATE["sections"][0]["questions"][0], optional]
    template = template_import(data=extra, publish=True)
    LibraryAnswer.objects.create(supplier=cast.supplier, code="A-02", value="yes")
    a = _second_customer_assessment(cast, template)
    member_add(organisation=cast.supplier, email="eigenaar@lev.test", role="owner")
    svc.answer_save(
        assessment=a, code="A-01", value="yes", version=0, actor=cast.supplier_owner.user
    )
    svc.assessment_submit(assessment=a, actor=cast.supplier_owner.user)
    assert list(Answer.objects.filter(assessment=a).values_list("question__code", flat=True)) == [
        "A-01"
    ]


def test_library_page_only_for_the_owner_of_that_supplier(cast):
    LibraryAnswer.objects.create(supplier=cast.supplier, code="A-01", value="yes")
    LibraryAnswer.objects.create(supplier=cast.other_supplier, code="X-01", value="no")
    page = client_for(cast.supplier_owner).get(reverse("answer_library"))
    assert [e.code for e in page.context["entries"]] == ["A-01"]
