"""What a tool says it does: verbs in tool names and descriptions.

Written once for every policy that judges a tool by its declared name and
description (AG902's gateway tools; the action-group functions of AG501 may
use it too). A name is split into words (``deleteOrder``, ``delete_order``,
``DeleteOrder``, ``delete-order`` all give ``delete``, ``order``); a word
matches a verb when it is the verb or one of its inflections (``deletes``,
``deleted``, ``deleting``).

Two rules keep the noise down:

* a name whose *first* word is a read verb (``get_refunds``, ``list_transfers``,
  ``search_orders``) is a read, whatever nouns follow;
* of a description only the *leading* verb counts ("Deletes the order" is a
  delete; "Extracts text. Removes ads" is not a removal tool): descriptions
  are prose, and their later sentences describe details, not the action.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

#: first words that make a tool name a read, whatever follows
READ_VERBS = frozenset(
    {
        "get",
        "list",
        "describe",
        "search",
        "query",
        "read",
        "fetch",
        "find",
        "lookup",
        "look",
        "retrieve",
        "view",
        "show",
        "count",
        "check",
        "validate",
        "verify",
        "explain",
        "summarize",
        "calculate",
        "compute",
        "estimate",
        "browse",
        "scan",
        "inspect",
        "analyze",
        "analyse",
        "extract",
        "download",
        "export",
        "resolve",
        "preview",
        "is",
        "has",
        "can",
    }
)

#: a verb followed by this word is another word: a drop-off (a delivery) drops nothing, a dropdown is a menu
_NOT_THE_VERB = frozenset({("drop", "off"), ("drop", "down"), ("drop", "in")})
#: what a description's leading verb may act on that makes the action a question, not a change
#: ("Send a query to ...", "Submit a search ...")
_ASKING = frozenset({"query", "queries", "question", "questions", "search", "prompt", "lookup"})

# a leading filler of descriptions ("Tool to delete ...", "This tool creates ...", "Use to ...")
_FILLER = frozenset({"a", "an", "the", "this", "tool", "function", "api", "used", "use", "to", "will", "that", "it", "which"})

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """Lower-case words of an identifier or a sentence (camelCase and snake_case split)."""
    out: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", text):
        out.extend(w.lower() for w in _CAMEL.findall(chunk))
    return tuple(out)


def inflections(verb: str) -> set[str]:
    """The forms of a verb a name or sentence may use: delete, deletes, deleted, deleting, ..."""
    v = verb.lower()
    forms = {v, v + "s", v + "es", v + "d", v + "ed", v + "ing"}
    if v.endswith("e"):
        forms |= {v[:-1] + "ing", v + "d"}
    if v.endswith("y") and len(v) > 2 and v[-2] not in "aeiou":
        forms |= {v[:-1] + "ies", v[:-1] + "ied"}
    if (len(v) <= 4 and v[-1] not in "aeiouwxy" and v[-2:-1] in tuple("aeiou")) or re.search(
        r"[^aeiou][aeiou][bcdfgklmnprstvz]$", v
    ):
        forms |= {v + v[-1] + "ed", v + v[-1] + "ing"}  # drop -> dropped, stop -> stopping, cancel -> cancelled
    return forms


@lru_cache(maxsize=256)
def _verb_table(verbs: tuple[str, ...]) -> dict[str, str]:
    table: dict[str, str] = {}
    for verb in verbs:
        for form in inflections(verb):
            table.setdefault(form, verb.lower())
    return table


def verb_in_name(name: str, verbs: Iterable[str]) -> str | None:
    """The verb of ``verbs`` that tool name ``name`` says it does, if any."""
    ws = words(name)
    if not ws or ws[0] in READ_VERBS:
        return None
    table = _verb_table(tuple(verbs))
    for i, w in enumerate(ws):
        if w in table and (table[w], ws[i + 1] if i + 1 < len(ws) else "") not in _NOT_THE_VERB:
            return table[w]
    return None


def leading_verb(description: str, verbs: Iterable[str]) -> str | None:
    """The verb of ``verbs`` a description starts with ("Deletes the order ..."), if any."""
    ws = list(words(description)[:12])
    while ws and ws[0] in _FILLER:
        ws.pop(0)
    if not ws:
        return None
    verb = _verb_table(tuple(verbs)).get(ws[0])
    if verb is None or (verb, ws[1] if len(ws) > 1 else "") in _NOT_THE_VERB:
        return None
    rest = [w for w in ws[1:] if w not in ("a", "an", "the")]
    if rest and rest[0] in _ASKING:
        return None  # "Send a query ...": the action asks
    for a, b in zip(rest, rest[1:6]):
        if a == "to" and b in READ_VERBS:
            return None  # "... to retrieve information": what it performs is a read
        if a == "to":
            break
    return verb


def classify(
    name: str | None, description: str | None, irreversible: Iterable[str], write: Iterable[str]
) -> tuple[str, str] | None:
    """("irreversible" | "write", verb) for a tool that says it changes something, else None.

    The name decides when it names a verb; the description's leading verb is
    consulted only when the name names none.
    """
    irreversible = tuple(irreversible or ())
    write = tuple(write or ())
    if name:
        v = verb_in_name(name, irreversible)
        if v:
            return "irreversible", v
        v = verb_in_name(name, write)
        if v:
            return "write", v
        if words(name) and words(name)[0] in READ_VERBS:
            return None
    if description:
        v = leading_verb(description, irreversible)
        if v:
            return "irreversible", v
        v = leading_verb(description, write)
        if v:
            return "write", v
    return None
