"""Suggestions for a mistyped name (an account id, a service, a factor type, a fact): "did you mean ...?".

One helper for every layer (inventory, catalog, exports, the command line), so the hint reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str:
    """``" (did you mean 'github'?)"`` for the closest of ``choices`` to ``word``, or ``""`` when none is close.

    Case-insensitive; a choice that starts with ``word`` counts as close. The suggestion is made safe for a
    terminal (choices may come from data). Meant to be appended to an error message.
    """
    import difflib

    from mfakit import safe

    options = [str(c) for c in choices if c is not None and str(c)]
    if not word or not options:
        return ""
    folded = {o.casefold(): o for o in options}
    key = str(word).casefold()
    if key in folded and folded[key] != word:
        return f" (did you mean '{safe.plain(folded[key])}'?)"
    close = difflib.get_close_matches(key, list(folded), n=2, cutoff=cutoff)
    if len(close) == 2:  # a second name only when it is as close as the first
        ratio = [difflib.SequenceMatcher(None, key, c).ratio() for c in close]
        close = close if ratio[1] >= ratio[0] - 0.01 else close[:1]
    if not close:
        close = [f for f in folded if f.startswith(key) and len(key) >= 3][:2]
    if not close:
        return ""
    names = " or ".join(f"'{safe.plain(folded[c])}'" for c in close)
    return f" (did you mean {names}?)"
