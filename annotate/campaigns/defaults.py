"""The default label scheme: the three passage types and four bias markers the user named."""

DEFAULT_SCHEME = {
    "name": "Fact, claim or opinion",
    "slug": "fact-claim-opinion",
    "description": "What kind of statement a passage makes, who it cites and how it is framed.",
}

# The line between the first two is drawn once, on whose voice the statement is in (see
# annotate.campaigns.definitions.FACT_OR_CLAIM): a cue such as "said" or "according to"
# makes it an attributed claim, so no sourced-fact example may carry one.
DEFAULT_LABELS = [
    {
        "value": "sourced_fact",
        "name": "Sourced fact",
        "key": "1",
        "description": "The outlet states it in its own voice and points the reader to a record they can check (a link, a document, data) rather than reporting someone's words. If the passage passes on what someone says, it is an attributed claim.",
        "example": "The US Department of Defense’s March 2022 report to Congress, linked here, lists 78 aircraft left behind in Afghanistan.",
    },
    {
        "value": "attributed_claim",
        "name": "Attributed claim",
        "key": "2",
        "description": "The outlet reports what someone says or claims, with a cue such as said, told, claimed, warned or according to, without vouching for it. A report or dataset cited with such a cue is an attributed claim too, its source a document.",
        "example": "Kakar said the development was “a new challenge”. According to a March 2022 Pentagon report, 78 aircraft were left behind.",
    },
    {
        "value": "opinion",
        "name": "Opinion",
        "key": "3",
        "description": "A judgement, prediction or interpretation in the outlet's own voice, with no one cited and no record to check it against.",
        "example": "Pakistan’s current predicament may well serve as a stark warning to all powers engaged in proxy conflicts.",
    },
]

DEFAULT_MARKERS = [
    {
        "value": "loaded_language",
        "name": "Loaded language",
        "key": "l",
        "description": "Words chosen for their emotional charge rather than their meaning (e.g. “sent to hell”, “staggering”).",
    },
    {
        "value": "one_sided_framing",
        "name": "One-sided framing",
        "key": "t",
        "description": "Only one side's view or interest is presented where others plainly exist.",
    },
    {
        "value": "speculation_as_fact",
        "name": "Speculation presented as fact",
        "key": "r",
        "description": "A guess, rumour or possibility stated as if it were established.",
    },
    {
        "value": "emotional_appeal",
        "name": "Emotional appeal",
        "key": "e",
        "description": "An appeal to fear, pity, pride or anger in place of evidence.",
    },
]


def _known(model, values):
    """Only the fields `model` has: a migration's historical model may predate some."""
    names = {f.name for f in model._meta.get_fields()}
    return {k: v for k, v in values.items() if k in names}


def create_default_scheme(LabelScheme, Label, BiasMarker):
    """Create the default scheme if missing; takes model classes so migrations can call it."""
    scheme, _ = LabelScheme.objects.get_or_create(
        slug=DEFAULT_SCHEME["slug"], defaults=DEFAULT_SCHEME
    )
    for position, label in enumerate(DEFAULT_LABELS):
        Label.objects.get_or_create(
            scheme=scheme,
            value=label["value"],
            defaults=_known(Label, {**label, "position": position}),
        )
    for position, marker in enumerate(DEFAULT_MARKERS):
        BiasMarker.objects.get_or_create(
            scheme=scheme,
            value=marker["value"],
            defaults=_known(BiasMarker, {**marker, "position": position}),
        )
    return scheme


def set_default_marker_keys(BiasMarker):
    """Give the default scheme's markers their keys where none is set and none clashes."""
    for marker in DEFAULT_MARKERS:
        taken = BiasMarker.objects.filter(scheme__slug=DEFAULT_SCHEME["slug"], key=marker["key"])
        if not taken.exists():
            BiasMarker.objects.filter(
                scheme__slug=DEFAULT_SCHEME["slug"], value=marker["value"], key=""
            ).update(key=marker["key"])


def default_scheme():
    from annotate.models import BiasMarker, Label, LabelScheme

    return create_default_scheme(LabelScheme, Label, BiasMarker)
