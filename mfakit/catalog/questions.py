"""The plan's own questions for an account it cannot settle, as data the "What I found" widget can ask.

For an ``unknown`` or ``hybrid`` plan row, :func:`questions_for` gives the question whose answer would settle
it — "Does X take security keys or passkeys?" (fact ``key_support``) or "Does X let you turn TOTP off once a key
is registered?" (fact ``key_only``) — with choices whose values go straight to
:func:`mfakit.catalog.personal.set_facts`::

    for q in questions_for(row):
        if q.add_first:                      # the service is in no catalog yet
            add_service(q.service)
        set_facts(q.service, {q.fact: chosen_value})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mfakit.catalog.normalize import slug

if TYPE_CHECKING:
    from mfakit.catalog import Catalog
    from mfakit.plan.states import PlanRow

KEY_SUPPORT_CHOICES: list[tuple[str, str]] = [
    ("Yes: security keys (as a second factor)", "security_key"),
    ("Yes: passkeys (sign-in with the key)", "passkey"),
    ("Yes: both", "both"),
    ("No: neither", "none"),
]
KEY_ONLY_CHOICES: list[tuple[str, str]] = [
    ("Yes: TOTP can be turned off", "yes"),
    ("No: TOTP (or SMS) must stay", "no"),
]


@dataclass
class Question:
    """One question about one service. ``choices`` are (label, value to pass to set_facts for ``fact``).

    ``service`` is the catalog id to pass to ``set_facts``; when ``add_first`` is True the service is in no
    catalog yet and ``service`` is the account's service name: call ``add_service(service)`` first (it returns
    the id to use).
    """

    service: str
    fact: str
    text: str
    choices: list[tuple[str, str]] = field(default_factory=list)
    add_first: bool = False

    def command(self, value: str) -> str:
        """The equivalent command line (shown beside the widget, and in the plan's next step)."""
        import shlex

        sid = slug(self.service) if self.add_first else self.service
        cmd = f"mfakit catalog set {shlex.quote(sid)} {self.fact}={shlex.quote(value)}"
        return f"mfakit catalog add {shlex.quote(self.service)} && {cmd}" if self.add_first else cmd


def key_support_question(service_id: str, name: str, add_first: bool = False) -> Question:
    return Question(service_id, "key_support", f"Does {name} take security keys or passkeys?",
                    list(KEY_SUPPORT_CHOICES), add_first)


def key_only_question(service_id: str, name: str) -> Question:
    return Question(service_id, "key_only", f"Does {name} let you turn TOTP off once a key is registered?",
                    list(KEY_ONLY_CHOICES))


def questions_for(row: "PlanRow", catalog: "Catalog | None" = None) -> list[Question]:
    """The question(s) that would settle an ``unknown`` or ``hybrid`` row; [] for any other row.

    An account whose name fits several services (ambiguous) gets none: which service it is must be fixed in
    the inventory first. ``catalog`` defaults to a fresh :func:`load_catalog` (personal layer included).
    """
    if row.state not in ("unknown", "hybrid"):
        return []
    if row.service_id is None:
        # Ambiguous names and e-mail-only labels are fixed in the inventory (which service is it?), not asked.
        if row.state == "unknown" and "matches several" not in row.reason and "not a service" not in row.reason:
            return [key_support_question(row.service, row.service, add_first=True)]
        return []
    if catalog is None:
        from mfakit.catalog import load_catalog

        catalog = load_catalog()
    svc = catalog.get(row.service_id)
    if svc is None:
        return []
    if svc.key_support is None:
        return [key_support_question(svc.id, svc.name)]
    if svc.key_support and (row.state == "hybrid" or svc.key_only_value == "unknown"):
        return [key_only_question(svc.id, svc.name)]
    return []
