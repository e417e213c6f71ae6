"""A member's own work and its history: "My annotations", each annotation's revisions in
words (``readable``, pure), and the campaign's guidelines versions (read by the
guidelines pages)."""
