"""The annotation page's keyboard (pure): every key, what it does, and which keys a scheme's
labels and markers may not take because the page already uses them."""

# Cited-source types (annotate.models.CitedSourceType values): with words selected, mark
# them as the cited source of that type; otherwise set the passage's source type.
SOURCE_KEYS = {
    "named_person": "n",
    "official_body": "o",
    "document": "d",
    "anonymous": "a",
    "other_outlet": "u",
}
CONFIDENCE_KEYS = {"low": "z", "medium": "x", "high": "c"}
SKIP_REASONS = [
    "Not a statement (a heading, caption or byline)",
    "Garbled or cut-off text",
    "Duplicate of another passage",
    "Not in the article's language",
]
PAGE_KEYS = {
    "b": "back to your previous passage",
    "f": "forward to your next passage",
    "g": "guidelines",
    "s": "skip, with a reason",
    "y": "accept the suggested source",
}
# Keys the page reads itself (letters above, digits are the labels' own).
RESERVED = set(SOURCE_KEYS.values()) | set(CONFIDENCE_KEYS.values()) | set(PAGE_KEYS)


def reserved_message(key):
    """Why `key` cannot be a label's or marker's key, or None when it can."""
    if key and key.lower() in RESERVED:
        return f"“{key}” is already a key of the annotation page; pick another."
    if key and key.isspace():
        return "A key must be a visible character."
    return None
