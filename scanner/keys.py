"""Messages for a mistyped key: what is allowed and the closest valid name, instead of a validator's raw wording."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

#: pydantic's error types for a key the model does not have (dataclasses say the first, models the second)
UNKNOWN_KEY_ERRORS = {"unexpected_keyword_argument", "extra_forbidden"}


def unknown_key(key: str, allowed: Iterable[str], what: str = "key") -> str:
    """``unknown key 'severity_treshold' (did you mean 'severity_threshold'?); allowed: a, b, c``."""
    names = sorted(set(allowed))
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {key!r}{hint}; allowed: {', '.join(names)}"


def validation_message(exc: Any, allowed_at: Mapping[tuple[str, ...], Iterable[str]]) -> str:
    """``LOC: reason`` for the first error of a pydantic ValidationError; an unknown key names the allowed ones.

    ``allowed_at``: location pattern (``*`` for any list index) -> the keys allowed there.
    """
    errors = exc.errors()
    # a mistyped key often also leaves a required one missing: the unknown key says more
    e = next((x for x in errors if x.get("type") in UNKNOWN_KEY_ERRORS), errors[0])
    # a key with a line break or another unprintable character is shown as Python would write it: one line
    loc = tuple(str(x) if str(x).isprintable() else repr(str(x)) for x in e["loc"])
    if e.get("type") in UNKNOWN_KEY_ERRORS and loc:
        parent = tuple("*" if p.isdigit() else p for p in loc[:-1])
        allowed = allowed_at.get(parent)
        if allowed is not None:
            return f"{'.'.join(loc)}: {unknown_key(loc[-1], allowed)}"
    return f"{'.'.join(loc)}: {e['msg']}"
