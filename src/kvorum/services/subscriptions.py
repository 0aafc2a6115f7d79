"""Who is told of assignment events: every subscription, in one place.

Subscribers run inside the transaction of the change they hear of (see services/assignments/events.py).
"""

from kvorum.services.assignments.events import Accepted, Issued, Rejected, Submitted, Subscribers
from kvorum.services.workforce import ledger, ratings


def subscribers() -> Subscribers:
    return (
        Subscribers()
        .subscribe(Issued, ratings.on_issued)
        .subscribe(Submitted, ratings.on_submitted)
        .subscribe(Accepted, ratings.on_accepted)
        .subscribe(Accepted, ledger.on_accepted)
        .subscribe(Rejected, ratings.on_rejected)
    )
