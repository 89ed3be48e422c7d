"""Assessments and findings carry their relationship's care organisation (DESIGN §16): a care
organisation's counts and lists then read its own rows by an index on (care_org, status)."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE {table} SET care_org_id = (
    SELECT r.care_org_id FROM suppliers_relationship r WHERE r.id = {table}.relationship_id
) WHERE care_org_id IS NULL
"""


def _field(null):
    return models.ForeignKey(
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="accounts.organisation",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("questionnaires", "0017_profile_items"),
        ("suppliers", "0001_initial"),
    ]

    operations = [
        migrations.AddField("assessment", "care_org", _field(null=True)),
        migrations.AddField("finding", "care_org", _field(null=True)),
        migrations.RunSQL(
            FILL.format(table="questionnaires_assessment"), migrations.RunSQL.noop
        ),
        migrations.RunSQL(FILL.format(table="questionnaires_finding"), migrations.RunSQL.noop),
        migrations.AlterField("assessment", "care_org", _field(null=False)),
        migrations.AlterField("finding", "care_org", _field(null=False)),
        migrations.AddIndex(
            "assessment",
            models.Index(fields=["care_org", "status"], name="assessment_org_status"),
        ),
        migrations.AddIndex(
            "finding", models.Index(fields=["care_org", "status"], name="finding_org_status")
        ),
    ]
