"""Work that spans layers, orchestrated from the top (DESIGN §3).

Completing an assessment scores it and refreshes the relationship (questionnaires); the clause
checklist and the exit note (contracts) join here when those issues land.
"""

from __future__ import annotations

from django.db import transaction

from questionnaires import assessments


@transaction.atomic
def complete_assessment(*, assessment, actor, request=None):
    """The one completion service every page and API call uses."""
    return assessments.assessment_complete(assessment=assessment, actor=actor, request=request)
