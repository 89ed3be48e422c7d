"""Shared behaviour of the operations commands: clear errors, non-zero exit, no change."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation


def validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


class OperationsCommand(BaseCommand):
    """Operators' commands speak English, like their --help."""

    def execute(self, *args, **options):
        try:
            with translation.override("en"):
                return super().execute(*args, **options)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
