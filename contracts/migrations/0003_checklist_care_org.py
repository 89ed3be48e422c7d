"""Checklist items carry their relationship's care organisation (DESIGN §16): a care
organisation's open must-clauses are read by an index on (care_org, status)."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE contracts_checklistitem SET care_org_id = (
    SELECT r.care_org_id FROM suppliers_relationship r
    WHERE r.id = contracts_checklistitem.relationship_id
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
        ("accounts", "0002_api_token_read_only"),
        ("contracts", "0002_exit_notes"),
        ("suppliers", "0006_sector_scale_indexes"),
    ]

    operations = [
        migrations.AddField("checklistitem", "care_org", _field(null=True)),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField("checklistitem", "care_org", _field(null=False)),
        migrations.AddIndex(
            "checklistitem",
            models.Index(fields=["care_org", "status"], name="checklist_org_status"),
        ),
    ]
