"""Print, as JSON, the figures a restored backup must reproduce exactly.

Run in a subprocess against a configured database: `python -m tests.ops.figures`. Rows per
model, every relationship's cached risk and its risk API answer, the security officer's home
page figures per care organisation, the dashboard API (when there is one) and the sha256 of
every stored file. Reading pages signs someone in; that happens in a transaction that is
rolled back, so collecting the figures changes nothing.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import os
import sys

HOME_FIGURES = (
    "relationship_count",
    "tiers",
    "to_review",
    "overdue",
    "open_findings",
    "notice_soon",
    "reassess_due",
    "expired_certificates",
    "must_clauses_open",
    "exit_missing",
    "exit_unapproved",
    "exit_untested",
    "pending_decisions",
)


def _plain(value):
    """Model instances become (label, pk); querysets and tuples lists; dates text."""
    from django.db import models

    if isinstance(value, models.Model):
        return [value._meta.label_lower, value.pk]
    if isinstance(value, (models.QuerySet, list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return str(value)
    return value


def _stored_files() -> dict[str, str]:
    from django.apps import apps
    from django.core.files.storage import default_storage
    from django.db import models

    found = {}
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.FileField):
                continue
            for name in model._default_manager.exclude(**{f.name: ""}).values_list(
                f.name, flat=True
            ):
                with default_storage.open(name, "rb") as fh:
                    found[name] = hashlib.sha256(fh.read()).hexdigest()
    return dict(sorted(found.items()))


def _pages() -> dict:
    from django.test import Client

    from portal.core.accounts.models import Membership
    from suppliers.models import Relationship

    pages: dict = {"home": {}, "risk_api": {}, "dashboard_api": {}}
    officers = Membership.objects.filter(
        organisation__kind="care", role="security", is_active=True
    ).select_related("user", "organisation")
    for m in officers.order_by("organisation__slug", "user__email"):
        client = Client()
        client.force_login(m.user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session["active_membership_id"] = m.pk
        session.save()
        key = f"{m.organisation.slug}:{m.user.email}"
        home = client.get("/")
        pages["home"][key] = {
            "status": home.status_code,
            **{k: _plain(home.context.get(k)) for k in HOME_FIGURES},
        }
        dashboard = client.get("/api/v1/dashboard/")
        pages["dashboard_api"][key] = (
            dashboard.json() if dashboard.status_code == 200 else dashboard.status_code
        )
        for rel in Relationship.objects.filter(care_org=m.organisation).order_by("pk"):
            risk = client.get(f"/api/v1/relationships/{rel.pk}/risk/")
            pages["risk_api"][str(rel.pk)] = risk.json() if risk.status_code == 200 else None
    return pages


def collect() -> dict:
    from django.apps import apps
    from django.db import transaction

    from suppliers.models import Relationship

    figures = {
        "counts": {
            m._meta.label_lower: m._default_manager.count()
            for m in sorted(apps.get_models(), key=lambda m: m._meta.label_lower)
        },
        "relationships": [
            _plain(row)
            for row in Relationship.objects.order_by("pk").values(
                "pk",
                "care_org__slug",
                "supplier__slug",
                "name",
                "inherent_score",
                "inherent_tier",
                "control_score",
                "control_band",
                "residual_risk",
                "assessed",
                "next_assessment_due",
            )
        ],
        "files": _stored_files(),
    }
    with transaction.atomic():
        figures["pages"] = _pages()
        transaction.set_rollback(True)
    return figures


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # responses carry their template context
    json.dump(collect(), sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
