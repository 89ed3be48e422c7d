"""PDF reports made by a Celery task, kept privately per user (DESIGN §11)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.tenancy import TenantQuerySet


class ReportKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment report")
    CLAUSES = "clauses", _("Clause checklist")
    EXIT_NOTE = "exit-note", _("Exit strategy")
    PORTFOLIO = "portfolio", _("Portfolio report for the board")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportQuerySet(TenantQuerySet):
    def visible_to(self, membership):
        """A report belongs to the person who asked for it, in that organisation."""
        if membership is None:
            return self.none()
        return super().visible_to(membership).filter(user=membership.user_id)

    def downloadable_by(self, membership):
        """Finished reports whose PDF the membership may download: any of its organisation's
        (API.md: `download_url` answers users of the same organisation, the requesting token
        among them). The downloads list and a report's status stay the requester's own; what a
        role may read at all is checked by the caller (`reports.request`)."""
        if membership is None or not membership.is_active:
            return self.none()
        return super().visible_to(membership).filter(status=ReportStatus.DONE)


def _report_path(instance, filename: str) -> str:

    return f"reports/{instance.organisation_id}/{secrets.token_hex(16)}.pdf"


class Report(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReportKind.choices)
    params = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=5, default="nl")
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=_report_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)
