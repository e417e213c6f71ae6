"""The default label scheme: the three passage types and four bias markers the user named."""

DEFAULT_SCHEME = {
    "name": "Fact, claim or opinion",
    "slug": "fact-claim-opinion",
    "description": "What kind of statement a passage makes, who it cites and how it is framed.",
}

DEFAULT_LABELS = [
    {
        "value": "sourced_fact",
        "name": "Sourced fact",
        "key": "1",
        "description": "A checkable statement the outlet presents as true and backs with a source a reader can verify (a report, data, an official record).",
        "example": "According to a March 2022 report presented by the US Department of Defense to Congress, 78 aircraft were left behind.",
    },
    {
        "value": "attributed_claim",
        "name": "Attributed claim",
        "key": "2",
        "description": "A statement the outlet reports someone else as making, without vouching for it (said, claimed, according to, warned).",
        "example": "Kakar said the development was “a new challenge”.",
    },
    {
        "value": "opinion",
        "name": "Opinion",
        "key": "3",
        "description": "A judgement, prediction or interpretation in the outlet's own voice, not attributed and not checkable as such.",
        "example": "Pakistan’s current predicament may well serve as a stark warning to all powers engaged in proxy conflicts.",
    },
]

DEFAULT_MARKERS = [
    {
        "value": "loaded_language",
        "name": "Loaded language",
        "description": "Words chosen for their emotional charge rather than their meaning (e.g. “sent to hell”, “staggering”).",
    },
    {
        "value": "one_sided_framing",
        "name": "One-sided framing",
        "description": "Only one side's view or interest is presented where others plainly exist.",
    },
    {
        "value": "speculation_as_fact",
        "name": "Speculation presented as fact",
        "description": "A guess, rumour or possibility stated as if it were established.",
    },
    {
        "value": "emotional_appeal",
        "name": "Emotional appeal",
        "description": "An appeal to fear, pity, pride or anger in place of evidence.",
    },
]


def create_default_scheme(LabelScheme, Label, BiasMarker):
    """Create the default scheme if missing; takes model classes so migrations can call it."""
    scheme, _ = LabelScheme.objects.get_or_create(
        slug=DEFAULT_SCHEME["slug"], defaults=DEFAULT_SCHEME
    )
    for position, label in enumerate(DEFAULT_LABELS):
        Label.objects.get_or_create(
            scheme=scheme, value=label["value"], defaults={**label, "position": position}
        )
    for position, marker in enumerate(DEFAULT_MARKERS):
        BiasMarker.objects.get_or_create(
            scheme=scheme, value=marker["value"], defaults={**marker, "position": position}
        )
    return scheme


def default_scheme():
    from annotate.models import BiasMarker, Label, LabelScheme

    return create_default_scheme(LabelScheme, Label, BiasMarker)
