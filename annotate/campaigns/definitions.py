"""What every answer on the annotation page means (pure, no Django): the line between a
sourced fact and an attributed claim, the cited-source types, the confidence levels and
evidence spans. The guidelines page shows these beside the scheme's own passage types.

Keys are the stored codes: ``SOURCE_TYPES`` those of annotate.models.CitedSourceType
("" for no one cited), ``CONFIDENCE`` those of annotate.models.Confidence; each maps to
``{"definition": …, "example": …}``. Display names stay with the model choices.
"""

FACT_OR_CLAIM = (
    "Fact or claim? Ask whose voice the statement is in. A sourced fact is stated by the "
    "outlet in its own voice and points the reader to a record they can check (a link, a "
    "document, data). An attributed claim reports what someone says, with a cue such as "
    "said, told, claimed or according to, and does not vouch for it. A cue decides: "
    "“according to a report” is an attributed claim whose source is a document, even an "
    "official one. Neither a cue nor a checkable record: opinion."
)

SOURCE_TYPES = {
    "": {
        "definition": "Nobody is given as the origin of the statement: the outlet speaks "
        "for itself. Usual for opinion.",
        "example": "Pakistan’s current predicament may well serve as a stark warning.",
    },
    "named_person": {
        "definition": "A person identified by name, with or without a title, whose words "
        "or view the passage gives.",
        "example": "Kakar said the development was “a new challenge”. (Cited: Kakar)",
    },
    "official_body": {
        "definition": "A government, ministry, army, agency, court, party or company "
        "speaking as an institution, or through a spokesperson who is not named.",
        "example": "The Pentagon said the withdrawal was complete. (Cited: the Pentagon)",
    },
    "document": {
        "definition": "A written record the passage relies on: a report, study, court "
        "filing, dataset or official statistics, whoever published it. What an institution "
        "said is Official body; what its published record shows is Document or data.",
        "example": "The Defense Department’s March 2022 report to Congress, linked here, "
        "lists 78 aircraft left behind. (Cited: the March 2022 report)",
    },
    "anonymous": {
        "definition": "A source the passage does not identify: unnamed officials, people "
        "“familiar with the matter”, a diplomat speaking on condition of anonymity. A "
        "person whose name is withheld is anonymous even when their institution is named.",
        "example": "A senior official, who asked not to be named, said talks had stalled. "
        "(Cited: a senior official)",
    },
    "other_outlet": {
        "definition": "Another news organisation whose reporting the passage relies on.",
        "example": "Reuters reported that the convoy had turned back. (Cited: Reuters)",
    },
}

CONFIDENCE = {
    "low": {
        "definition": "You could argue for another passage type as well, or the passage is "
        "garbled, cut off or needs context you do not have.",
        "example": "“The deal is thought to be worth billions”: a claim with no one cited, "
        "or speculation in the outlet's voice?",
    },
    "medium": {
        "definition": "Your answer is the most likely reading, but a careful colleague "
        "following these guidelines might choose differently.",
        "example": "A statement with a link whose page you cannot open: probably a sourced fact.",
    },
    "high": {
        "definition": "The passage plainly fits the definition; you expect every reviewer "
        "following these guidelines to give the same answer.",
        "example": "Kakar said the development was “a new challenge”: an attributed claim.",
    },
}

SPANS = (
    "Evidence spans show where in the text your answer comes from. Select the words that "
    "name who is cited (“Kakar”, “a senior official”, “the March 2022 report”) and press "
    "the key of their source type; select a loaded word or phrase (“staggering”) and press "
    "its bias marker's key. Mark only words inside the highlighted passage. When the "
    "campaign requires spans, a passage with a cited source needs a source span, and each "
    "ticked bias marker needs a span of that marker."
)
