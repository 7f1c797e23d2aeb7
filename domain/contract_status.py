"""The statuses of a contract (spec §6) and the sets the commands are allowed in."""

from __future__ import annotations

from domain import law

DRAFTED, SIGNED, FILED, ACCEPTED, REFUSED = "drafted", "signed", "filed", "accepted", "refused"
EXTENDED, TERMINATED, ENDED = "extended", "terminated", "ended"
RUNNING = frozenset({SIGNED, FILED, ACCEPTED, EXTENDED})  # signed: the contract is executed, filed or not
LIVE = RUNNING | {DRAFTED}
FINAL = frozenset({REFUSED, TERMINATED, ENDED})

FINAL_STATUS_ARTICLE = {
    TERMINATED: law.TERMINATION_ARTICLE,
    ENDED: law.TERM_ARTICLE,
    REFUSED: law.DECISION_DAYS.article,
}

# Each status as the French pages, documents and messages name it.
STATUS_FR = {
    DRAFTED: "brouillon",
    SIGNED: "signé",
    FILED: "transmis",
    ACCEPTED: "accepté",
    REFUSED: "refusé",
    EXTENDED: "prolongé",
    TERMINATED: "rompu",
    ENDED: "terminé",
}
