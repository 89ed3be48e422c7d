import json

from django.core.management.base import CommandError

from portal.core import events
from portal.core.commands import OperationsCommand


class Command(OperationsCommand):
    help = (
        "List every domain event (DESIGN §3) with its payload and its subscribers in the order "
        "they run: first those inside the emitting transaction, then those after commit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "names", nargs="*", help="only these events (e.g. assessment.completed)"
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, names, format, **options):
        known = {e.name: e for e in events.event_types()}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise CommandError(
                f"Unknown event(s): {', '.join(unknown)}. Run without names to list all."
            )
        chosen = [known[n] for n in names] if names else list(known.values())
        if format == "json":
            self.stdout.write(json.dumps([_as_dict(e) for e in chosen], indent=2))
            return
        for event in chosen:
            self.stdout.write(f"{event.name}\n  {event.summary}")
            self.stdout.write(f"  payload: {', '.join(event.data)}")
            steps = _ordered(event.name)
            if not steps:
                self.stdout.write("  (no subscribers)")
            for n, step in enumerate(steps, 1):
                where = f"{step.func.__module__}.{step.func.__qualname__}"
                queue = f", queue {step.queue}" if step.queue else ""
                self.stdout.write(f"  {n}. [{step.kind}{queue}] {step.label}  ({where})")
            self.stdout.write("")


def _ordered(name):
    return events.subscribers(name)


def _as_dict(event) -> dict:
    return {
        "name": event.name,
        "summary": event.summary,
        "arguments": event.arguments,
        "data": event.data,
        "subscribers": [
            {
                "label": s.label,
                "kind": s.kind,
                "function": f"{s.func.__module__}.{s.func.__qualname__}",
            }
            for s in _ordered(event.name)
        ],
    }
