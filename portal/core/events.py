"""Domain events: how work crosses layers (DESIGN §3).

A service that reaches one of the domain's key moments emits a named event; it never names
the work that follows. Apps subscribe in their `AppConfig.ready()`:

- *in the transaction* (`subscribe(name)`): consistency steps — re-scoring, regenerating the
  clause checklist. They run at once, in registration order, with the event's keyword
  arguments (model instances included), and fail together with the change.
- *after commit* (`subscribe(name, after_commit=True)`): notifications, webhooks, e-mail. Each
  runs as its own Celery task once the transaction has committed and never undoes the change.
  It gets the event as `{"id", "type", "timestamp", "data"}` (the shape webhooks deliver;
  `data` holds ids and plain values only). Each (event id, subscriber) runs to completion at most
  once: the task claims it in the same transaction as the subscriber's work, so a worker that
  dies half-way leaves nothing and the retry does it all.

`subscribe_all(label=...)` registers an after-commit subscriber of every event (webhook
delivery: it decides per event who may receive it); it runs after each event's own ones.

An event's name is also its public name (webhook event types are these names, nothing else).
Every event is defined once, with a one-line summary and its payload, by the app that emits it
(`<app>/events.py`, loaded from its AppConfig). `manage.py events` lists every event with its
subscribers in order; `tests/portal/test_events.py` pins that list.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from celery import shared_task
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class EventType:
    """One named moment of the domain."""

    name: str
    summary: str
    # The keyword arguments `emit` takes and in-transaction subscribers receive: name → meaning.
    arguments: dict[str, str]
    # The public payload after-commit subscribers (and webhooks) receive: name → meaning.
    data: dict[str, str]
    # Builds `data` from the arguments; ids and plain values only (it goes through Celery).
    build_data: Callable[..., dict[str, Any]] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Subscriber:
    event: str
    label: str
    func: Callable = field(repr=False, compare=False)
    after_commit: bool = False
    queue: str | None = None

    @property
    def kind(self) -> str:
        if self.event == _ALL_EVENTS:
            return "after commit, every event"
        return "after commit" if self.after_commit else "in transaction"


_EVENTS: dict[str, EventType] = {}
_SUBSCRIBERS: dict[str, list[Subscriber]] = {}
# After-commit subscribers of every event (webhooks): they run after each event's own ones.
_ALL_EVENTS = "*"
_FOR_ALL: list[Subscriber] = []


def define(
    name: str,
    *,
    summary: str,
    arguments: dict[str, str],
    data: dict[str, str],
    build_data: Callable[..., dict[str, Any]],
) -> EventType:
    """Declare an event (idempotent for the same declaration: apps may be readied twice)."""
    event = EventType(name, summary, dict(arguments), dict(data), build_data)
    known = _EVENTS.get(name)
    if known is not None and (known.arguments, known.data) != (event.arguments, event.data):
        raise ValueError(f"Event {name!r} is already defined with another payload.")
    _EVENTS.setdefault(name, event)
    _SUBSCRIBERS.setdefault(name, [])
    return _EVENTS[name]


def subscribe(
    name: str, *, label: str | None = None, after_commit: bool = False, queue: str | None = None
) -> Callable[[Callable], Callable]:
    """Register the decorated function for event `name` (an unknown name is an error at start-up,
    not a silent no-op). `label` names the step in `manage.py events` and in the results of
    `emit`; it defaults to the function's module and name."""

    def register(func: Callable) -> Callable:
        if name not in _EVENTS:
            raise LookupError(f"Unknown event {name!r}: define it before subscribing.")
        step = Subscriber(
            name,
            label or f"{func.__module__}.{func.__qualname__}",
            func,
            after_commit,
            queue,
        )
        known = _SUBSCRIBERS[name]
        if any(s.label == step.label for s in known):
            return func  # AppConfig.ready() ran twice (tests, management commands)
        known.append(step)
        return func

    return register


def subscribe_all(*, label: str, queue: str | None = None) -> Callable[[Callable], Callable]:
    """Register the decorated function after commit for *every* event, also those defined later
    (webhooks: DESIGN §15). It runs after each event's own after-commit subscribers and gets
    the envelope like them; `manage.py events` lists it under every event."""

    def register(func: Callable) -> Callable:
        if not any(s.label == label for s in _FOR_ALL):
            _FOR_ALL.append(Subscriber(_ALL_EVENTS, label, func, True, queue))
        return func

    return register


def _steps(name: str) -> list[Subscriber]:
    return _SUBSCRIBERS[name] + _FOR_ALL


def event_types() -> list[EventType]:
    return sorted(_EVENTS.values(), key=lambda e: e.name)


def subscribers(name: str) -> list[Subscriber]:
    """In the order they run: the in-transaction steps at once, then the after-commit ones."""
    if name not in _EVENTS:
        raise LookupError(f"Unknown event {name!r}.")
    steps = _steps(name)
    return [s for s in steps if not s.after_commit] + [s for s in steps if s.after_commit]


def emit(name: str, **arguments: Any) -> dict[str, Any]:
    """Run the in-transaction subscribers now, in order, and queue the after-commit ones.

    Returns each in-transaction subscriber's result by label (the daily run reports its counts
    this way). The arguments must be exactly the event's declared ones.
    """
    event = _EVENTS.get(name)
    if event is None:
        raise LookupError(f"Unknown event {name!r}.")
    if set(arguments) != set(event.arguments):
        raise TypeError(
            f"Event {name!r} takes {sorted(event.arguments)}, was given {sorted(arguments)}."
        )
    results: dict[str, Any] = {}
    later = []
    for step in _steps(name):
        if step.after_commit:
            later.append(step)
        else:
            results[step.label] = step.func(**arguments)
    if later:
        envelope = {
            "id": f"evt_{uuid.uuid4().hex}",
            "type": name,
            "timestamp": timezone.now().isoformat(),
            "data": event.build_data(**arguments),
        }
        for step in later:
            transaction.on_commit(lambda step=step: _queue(step, envelope))
    return results


def _queue(step: Subscriber, envelope: dict[str, Any]) -> None:
    options = {"queue": step.queue} if step.queue else {}
    deliver.apply_async(args=(step.label, envelope), **options)


@shared_task(name="events.deliver", acks_late=True)
def deliver(label: str, envelope: dict[str, Any]) -> bool:
    """Run one after-commit subscriber for one event, at most once to completion.

    Returns False when an earlier run already did it (a redelivered task)."""
    # Imported here, not at the top: this module loads while apps are still being set up
    # (app modules import `emit`), before the notifications models can be imported.
    from portal.core.notifications.services import once  # noqa: PLC0415 - notifications' models need the app registry

    name = envelope["type"]
    step = next(
        (s for s in _steps(name) if s.label == label and s.after_commit) if name in _EVENTS else (),
        None,
    )
    if step is None:
        raise LookupError(f"No after-commit subscriber {label!r} for event {name!r}.")
    with transaction.atomic():
        if not once(f"event:{envelope['id']}:{label}"):
            return False
        step.func(envelope)
    return True


define(
    "daily",
    summary="Once a day (Celery beat, or `manage.py send_reminders` from cron): reminders, "
    "deadlines and expiries.",
    arguments={"today": "the date of the run"},
    data={"date": "the date of the run (YYYY-MM-DD)"},
    build_data=lambda *, today: {"date": today.isoformat()},
)
