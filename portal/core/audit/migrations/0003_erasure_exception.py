"""The append-only trigger gets one narrow exception: the AVG erasure of a person.

Inside a transaction that has set `ketenwacht.audit_erasure = on` (only
`portal.core.audit.services.audit_pseudonymise` does), an UPDATE may rewrite the text that
identifies a person (labels, before/after) and drop an IP address. Who did what, when, in which
organisation and to which object stays exactly as recorded; DELETE is still refused.
"""

from django.db import migrations

WITH_ERASURE = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND coalesce(current_setting('ketenwacht.audit_erasure', true), '') = 'on'
       AND NEW.id = OLD.id
       AND NEW.at = OLD.at
       AND NEW.action = OLD.action
       AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.object_type = OLD.object_type
       AND NEW.object_id = OLD.object_id
       AND (NEW.ip_address IS NULL OR NEW.ip_address = OLD.ip_address)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""
STRICT = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WITH_ERASURE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STRICT)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
