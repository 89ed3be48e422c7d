"""Home pages show live figures once there is data, and an empty state before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.access import assessment_at
from tests.conftest import client_for


def test_empty_state_before_any_relationship(cast):
    page = client_for(cast.ciso).get(reverse("home"))
    assert page.context["relationship_count"] == 0
    assert "No supplier relationships yet" in page.content.decode()


def test_figures_and_work_waiting(cast):
    a = assessment_at(cast, "submitted")["assessment"]
    ciso = client_for(cast.ciso).get(reverse("home"))
    assert ciso.context["relationship_count"] == 1
    assert ("critical", 1, 1) in ciso.context["tiers"]
    assert [x.pk for x in ciso.context["to_review"]] == [a.pk]
    assert "No supplier relationships yet" not in ciso.content.decode()
    board = client_for(cast.board).get(reverse("home"))
    assert board.context["relationship_count"] == 1


def test_supplier_home_lists_open_questionnaires(cast):
    a = assessment_at(cast, "sent")["assessment"]
    page = client_for(cast.respondent).get(reverse("home"))
    assert [x.pk for x in page.context["open_assessments"]] == [a.pk]
    assert (
        client_for(cast.other_supplier_owner)
        .get(reverse("home"))
        .context["open_assessments"]
        .count()
        == 0
    )


def test_open_findings_count_relationships_not_findings(cast):
    from questionnaires.models import Finding

    world = assessment_at(cast, "sent")
    rel = world["relationship"]
    for code in ("A", "B", "C"):
        Finding.objects.create(
            relationship=rel,
            question_code=code,
            severity="low",
            title_nl=code,
            title_en=code,
            score=0,
            due_date="2099-01-01",
        )
    assert client_for(cast.ciso).get(reverse("home")).context["open_findings"] == 1


def test_procurement_home_shows_notice_deadlines_certificates_and_reassessments(cast):
    from datetime import timedelta

    from django.utils import timezone

    from contracts.services import contract_save
    from suppliers.documents import document_save
    from suppliers.risk import add_months
    from tests.access import PDF, _relationship

    rel = _relationship(cast)["relationship"]
    today = timezone.localdate()
    contract_save(
        relationship=rel,
        actor=cast.procurement.user,
        reference="C-NOTICE",
        title="Hosting",
        start_date=today - timedelta(days=400),
        end_date=add_months(today + timedelta(days=30), 3),  # notice deadline in 30 days
        notice_months=3,
    )
    document_save(
        supplier=rel.supplier,
        actor=cast.supplier_owner.user,
        title="Oud certificaat",
        kind="iso27001",
        name="oud.pdf",
        data=PDF,
        valid_until=today - timedelta(days=3),
        offered=True,
    )
    page = client_for(cast.procurement).get(reverse("home")).content.decode()
    assert "C-NOTICE" in page and "Oud certificaat" in page
    assert "never assessed" in page  # the relationship has never been assessed
    other = client_for(cast.other_care_admin).get(reverse("home")).content.decode()
    assert "C-NOTICE" not in other and "Oud certificaat" not in other


def test_security_and_board_homes_list_missing_unapproved_and_untested_exit_notes(cast):
    from contracts.exitnote import exit_note_approve
    from tests.access import _finding

    rel = _finding(cast)["relationship"]  # critical; completion drew up a draft note
    page = client_for(cast.ciso).get(reverse("home")).content.decode()
    section = page[page.find("Exit strategies") :]
    assert "Not approved yet" in section and "Critical, not tested in the last year" in section
    exit_note_approve(note=rel.exit_note, membership=cast.ciso)
    exit_note_approve(note=rel.exit_note, membership=cast.board)
    board = client_for(cast.board).get(reverse("home")).content.decode()
    assert "Not approved yet" not in board and "Critical, not tested in the last year" in board


def test_remote_ciso_overview_shows_only_organisations_where_they_are_security(cast):
    from portal.core.accounts.services import member_add, organisation_create
    from tests.access import _relationship

    _relationship(cast)  # a critical relationship at the hospital
    third = organisation_create(slug="derde-zorg", name="Derde Zorg", kind="care")
    second = member_add(organisation=cast.other_care, email=cast.ciso.user.email, role="security")
    member_add(organisation=third, email=cast.ciso.user.email, role="viewer")
    client = client_for(cast.ciso)
    home = client.get(reverse("home")).content.decode()
    assert reverse("remote_overview") in home
    page = client.get(reverse("remote_overview")).content.decode()
    page = page[page.find("<main") :]  # the header's switcher lists every membership
    assert "Ziekenhuis Test" in page and "Andere Zorg" in page
    assert "Derde Zorg" not in page  # a viewer there: not part of the overview
    assert f'value="{second.pk}"' in page  # switch into the other organisation from here
    r = client.post(reverse("switch_organisation"), {"membership": second.pk})
    assert r.status_code == 302
    assert client_for(cast.viewer).get(reverse("remote_overview")).status_code == 403


def test_board_home_shows_top_risks_in_words_and_makes_the_board_report(
    cast, django_capture_on_commit_callbacks
):
    from portal.top.reports.models import Report
    from tests.access import _relationship

    _relationship(cast)  # critical, not assessed: residual critical
    client = client_for(cast.board)
    page = client.get(reverse("home")).content.decode()
    assert "a critical supplier for us, with a critical residual risk" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_new"), {"kind": "portfolio"})
    report = Report.objects.get(user=cast.board.user)
    assert report.status == "done"
    page = client.get(reverse("home")).content.decode()
    assert reverse("report_download", kwargs={"pk": report.pk}) in page


def test_supplier_home_lists_findings_waiting_and_documents_expiring(cast):
    from datetime import timedelta

    from django.utils import timezone

    from suppliers.documents import document_save
    from tests.access import PDF, _finding

    finding = _finding(cast)["finding"]
    document_save(
        supplier=cast.supplier,
        actor=cast.supplier_owner.user,
        title="ISO-certificaat",
        kind="iso27001",
        name="iso.pdf",
        data=PDF,
        valid_until=timezone.localdate() + timedelta(days=20),
    )
    page = client_for(cast.respondent).get(reverse("home")).content.decode()
    assert reverse("finding_detail", kwargs={"pk": finding.pk}) in page
    assert "ISO-certificaat" in page
    other = client_for(cast.other_supplier_owner).get(reverse("home")).content.decode()
    assert "ISO-certificaat" not in other and "A-01" not in other


def test_every_figure_of_the_remote_overview_equals_the_portfolios(cast):
    """One selector per figure: the overview's numbers are the portfolio's, per organisation
    (reassessments due, overdue work, exit notes …) — the page once said 3 where the portfolio
    said 1."""
    import re

    from portal.core.accounts.services import member_add
    from suppliers.services import relationship_create, supplier_register
    from tests.access import _finding, _relationship

    _finding(cast)
    _relationship(cast)
    second = member_add(organisation=cast.other_care, email=cast.ciso.user.email, role="security")
    link = supplier_register(care_org=cast.other_care, name="Wolk B.V.", actor=second.user)
    relationship_create(
        care_org=cast.other_care,
        supplier=link.supplier,
        name="Wolk",
        supplier_types=["cloud"],
        intake={"data": 2, "volume": 2, "continuity": 2, "access": 1, "substitutability": 1},
        actor=second.user,
    )
    overview = client_for(cast.ciso).get(reverse("remote_overview")).content.decode()
    overview = overview[overview.find("<main") :]  # the header's switcher names them too
    pattern = re.compile(r'data-metric="([\w-]+)" data-count="(\d+)"')
    for membership, name in ((cast.ciso, "Ziekenhuis Test"), (second, "Andere Zorg")):
        start = overview.find(f">{name}")
        section = overview[start : overview.find("</section>", start)]
        shown = dict(pattern.findall(section))
        assert len(shown) >= 10, name
        portfolio = client_for(membership).get(reverse("portfolio")).content.decode()
        on_portfolio = dict(pattern.findall(portfolio))
        for key, count in shown.items():
            assert on_portfolio[key] == count, (name, key)


@pytest.mark.parametrize(
    "who",
    ["care_admin", "ciso", "procurement", "board", "viewer", "supplier_owner", "respondent"],
)
def test_every_link_on_a_home_page_opens_for_that_role(cast, who):
    """Show only what the role may open: no link from the home page or the menu leads to a
    403 (a respondent was once invited to the answer library and then refused)."""
    import re

    from tests.access import _finding

    _finding(cast)
    client = client_for(cast.membership(who))
    home = client.get(reverse("home")).content.decode()
    links = {
        href
        for href in re.findall(r'href="(/[^"#]*)"', home)
        if not href.startswith(("/static/", "/accounts/logout", "/i18n/"))
        and "/download" not in href
        and not href.endswith(".xlsx")
    }
    assert len(links) >= 5, who
    refused = {href: client.get(href).status_code for href in sorted(links)}
    assert {h: s for h, s in refused.items() if s not in (200, 302)} == {}, who
