"""The advisory's event (DESIGN §3, §13): a feed proposed matches that wait for a person."""

from __future__ import annotations

from portal.core.events import define


def _data(*, advisory, **_unused) -> dict:
    return {
        "advisory": advisory.pk,
        "care_organisation": advisory.care_org_id,
        "tracking_id": advisory.tracking_id,
        "source": advisory.source,
        "relationships": advisory.matches.values("relationship").distinct().count(),
    }


def define_events() -> None:
    define(
        "advisory.proposed",
        summary="A CSAF advisory from a provider feed matches relationships of a care "
        "organisation; it waits for a person to confirm before anything is sent.",
        arguments={"advisory": "the Advisory"},
        data={
            "advisory": "id of the care organisation's copy of the advisory",
            "care_organisation": "id of the care organisation",
            "tracking_id": "the advisory's document.tracking.id",
            "source": "feed",
            "relationships": "how many of its relationships the advisory matched",
        },
        build_data=_data,
    )
