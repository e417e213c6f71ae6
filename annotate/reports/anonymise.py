"""Anonymised exports: people's names out of free text (pure Python, no Django).

An anonymised export names reviewers and curators by a stable pseudonym (an HMAC of the user
id, annotate.reports.selectors.pseudonym). Free text people wrote (notes, rationales, whom a
passage cites) can name people too ("close call; bob flagged it too"), so the user name, full
name and e-mail address of every user are **scrubbed**: replaced by that user's pseudonym,
where they stand as whole words, whatever their case. A first or last name alone is left:
"Will" or "May" as a name cannot be told from the word. Scrubbing rather
than blanking keeps the rest of the note, which is often the only record of why a label was
chosen, and the pseudonym still says which person was meant. Article text is never altered:
it is the outlet's, not the reviewers'.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def scrubber(people: Iterable[tuple[str, Iterable[str]]]) -> Callable[[str], str]:
    """A function replacing each person's names in a text by their pseudonym.

    ``people``: (pseudonym, names) pairs; empty names are ignored. Longer names are tried
    first, so a full name is replaced whole rather than name by name. When two people share
    a name, the first listed wins. A name matches as a whole word (not inside another word),
    case-insensitively; an e-mail address matches as it is written.
    """
    replacement: dict[str, str] = {}
    for alias, names in people:
        for name in names:
            name = " ".join((name or "").split())
            if name and name.lower() not in replacement:
                replacement[name.lower()] = alias
    if not replacement:
        return lambda text: text
    # \b does not work next to "@" or "." in e-mail addresses: look around for word characters.
    alternatives = sorted(replacement, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w@.])(?:"
        + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in alternatives)
        + r")(?![\w@])",
        re.IGNORECASE,
    )

    def scrub(text: str) -> str:
        if not text:
            return text
        return pattern.sub(lambda m: replacement[" ".join(m.group(0).split()).lower()], text)

    return scrub
