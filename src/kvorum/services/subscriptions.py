"""Who is told of assignment events: every subscription, in one place.

Subscribers run inside the transaction of the change they hear of (see services/assignments/events.py).
Dynamic overlap comes after the quality rules, so it decides on what their actions left (a rule
that raised a rejected task's overlap already gave it its next answer).
"""

from kvorum.services.assignments.events import (
    Accepted,
    AccessLost,
    Issued,
    Rejected,
    Skipped,
    Submitted,
    Subscribers,
)
from kvorum.services.quality import engine
from kvorum.services.tasks import dynamic_overlap
from kvorum.services.workforce import ledger, ratings


def subscribers() -> Subscribers:
    return (
        Subscribers()
        .subscribe(Issued, ratings.on_issued)
        .subscribe(Submitted, ratings.on_submitted)
        .subscribe(Accepted, ratings.on_accepted)
        .subscribe(Accepted, ledger.on_accepted)
        .subscribe(Rejected, ratings.on_rejected)
        .subscribe_publishing(Submitted, engine.hear)
        .subscribe_publishing(Skipped, engine.hear)
        .subscribe_publishing(Accepted, engine.hear)
        .subscribe_publishing(Rejected, engine.hear)
        .subscribe_publishing(AccessLost, engine.hear)
        .subscribe(Submitted, dynamic_overlap.hear)
        .subscribe(Accepted, dynamic_overlap.hear)
        .subscribe(Rejected, dynamic_overlap.hear)
    )
