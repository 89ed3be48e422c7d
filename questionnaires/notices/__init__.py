"""Hand-offs: whoever has to act next hears of it (issue: every hand-off reaches its person).

After-commit subscribers of the domain events (registered in `subscribers.py`): each loads what
it needs from the event's ids, picks the people who must act *and may see it*, and notifies them
in their own language. Texts name the organisation and the person acting and say what is asked;
a supplier never reads scores, weights, tiers or internal notes here.
"""

from .assessments import notify_clarification, notify_completed, notify_sent, notify_submitted
from .decisions import notify_decision_decided, notify_decision_proposed
from .findings import notify_plan_due, notify_supplier_overdue

__all__ = [
    "notify_clarification",
    "notify_completed",
    "notify_decision_decided",
    "notify_decision_proposed",
    "notify_plan_due",
    "notify_sent",
    "notify_submitted",
    "notify_supplier_overdue",
]
