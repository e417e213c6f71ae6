"""Attribution suggester: precision and recall on the gold sets, invariants, known negatives.

Gold sets (tests/annotate/spans/gold/, convention at the top of attribution_gold.txt):
- attribution_gold.txt: development set (247 sentences, 187 sources), written before the
  module, then used to build it.
- attribution_gold.holdout.txt: 84 sentences, 71 sources, written after the first version.
  First measurement, before any change prompted by it: exact P 0.967 R 0.817, overlap
  P 1.000 R 0.845, type accuracy 0.950. Rules then added from its misses: "bureau"/org words
  as heads, "statement" as a document, officers/managers/coaches as official roles,
  "..., X warned," parentheses, contact clauses ("a claim the army denied"), participles
  before a time phrase, negative subjects ("neither side"), lone group nouns ("Fishermen").
- attribution_gold.final.txt: 40 sentences, 34 sources, written after those changes; the
  module was not changed after measuring it (two gold marks were corrected to the stated
  convention, see its header). Measured: exact P 0.968 R 0.882, type accuracy 0.933.
  Later, four bugs seen on the seed articles were fixed (line breaks as boundaries, a comma
  inside a parenthesis, participles such as "prepared by", "Title of Org Full Name"); the
  figures on all three sets were unchanged by them.

Exact match: same start and end. Overlap match: one-to-one, each gold span to the first
unused prediction that shares a character. Type accuracy: over overlap-matched pairs.
"""

import re
from pathlib import Path

import pytest

from annotate.spans import attribution_lexicon as lex
from annotate.spans.attribution import suggest_attributions

GOLD = Path(__file__).parent / "gold"
MARK = re.compile(r"\[\[(.+?)\|(\w+)\]\]")
ROOT = Path(__file__).resolve().parents[3]


def read_gold(name):
    """[(text, [(start, end, type), ...])] from a gold file with [[span|type]] marks."""
    rows = []
    for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, spans, pos = "", [], 0
        for m in MARK.finditer(line):
            text += line[pos : m.start()]
            spans.append((len(text), len(text) + len(m.group(1)), m.group(2)))
            text += m.group(1)
            pos = m.end()
        rows.append((text + line[pos:], spans))
    return rows


def score(rows):
    n_pred = n_gold = exact = overlap = typed = 0
    for text, gold in rows:
        pred = suggest_attributions(text)
        n_pred, n_gold = n_pred + len(pred), n_gold + len(gold)
        exact += len({(p.start, p.end) for p in pred} & {(g[0], g[1]) for g in gold})
        used = set()
        for start, end, kind in gold:
            for j, p in enumerate(pred):
                if j not in used and p.start < end and start < p.end:
                    used.add(j)
                    overlap += 1
                    typed += p.source_type == kind
                    break
    return {
        "sentences": len(rows),
        "gold": n_gold,
        "predicted": n_pred,
        "exact_precision": exact / n_pred,
        "exact_recall": exact / n_gold,
        "overlap_precision": overlap / n_pred,
        "overlap_recall": overlap / n_gold,
        "type_accuracy": typed / overlap,
    }


# Floors a little under the figures measured when the module was written (printed by -s).
FLOORS = {
    "attribution_gold.txt": (0.97, 0.97, 0.97),
    "attribution_gold.holdout.txt": (0.95, 0.88, 0.95),
    "attribution_gold.final.txt": (0.93, 0.85, 0.90),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_precision_recall_and_type_accuracy_meet_the_floors(name):
    m = score(read_gold(name))
    print(name, {k: round(v, 3) if isinstance(v, float) else v for k, v in m.items()})
    precision, recall, type_accuracy = FLOORS[name]
    assert m["exact_precision"] >= precision
    assert m["exact_recall"] >= recall
    assert m["overlap_precision"] >= m["exact_precision"]
    assert m["overlap_recall"] >= recall
    assert m["type_accuracy"] >= type_accuracy


def test_gold_sets_are_large_varied_and_use_only_cited_source_types():
    rows = [r for name in FLOORS for r in read_gold(name)]
    assert len(read_gold("attribution_gold.txt")) >= 150
    assert sum(1 for _, spans in rows if not spans) >= 60  # sentences with no attribution
    kinds = {kind for _, spans in rows for *_, kind in spans}
    assert kinds == set(lex.SOURCE_TYPES)


def test_source_types_mirror_the_models_cited_source_type_choices():
    # The pure module repeats the values so that it imports no Django; the test holds them equal.
    from annotate.models import CitedSourceType

    assert set(CitedSourceType.values) - {""} == set(lex.SOURCE_TYPES)


def test_every_suggestion_satisfies_the_span_invariant_with_an_offset():
    prefix = "Earlier text of the document. "
    for text, _ in read_gold("attribution_gold.txt"):
        document = prefix + text
        for s in suggest_attributions(text, offset=len(prefix)):
            assert document[s.start : s.end] == s.text
            assert document[s.cue_start : s.cue_end] == s.cue_text
            assert s.text == s.text.strip() and s.text
            assert not (s.start < s.cue_end and s.cue_start < s.end)
            assert s.source_type in lex.SOURCE_TYPES


@pytest.mark.parametrize(
    "text",
    [
        "The minister is said to be furious.",
        "The so-called peace plan was rejected.",
        "The said company went bankrupt in May.",
        "The vote went according to plan.",
        "Work resumed according to the agreed timetable.",
        "That said, prices kept rising.",
        "All told, 40 people attended.",
        "The flood claimed six lives.",
        "The striker added a second goal.",
        "Their stated aim is growth.",
        "She refused to say how much it cost.",
        '"We are ready," she said.',
        "Residents were told to leave their homes.",
    ],
)
def test_non_attributions_get_no_suggestion(text):
    assert suggest_attributions(text) == []


def test_told_marks_the_speaker_not_the_outlet_told():
    (s,) = suggest_attributions("Minister Ana Costa told the BBC that talks had failed.")
    assert (s.text, s.source_type, s.cue_text) == ("Minister Ana Costa", "named_person", "told")


def test_inverted_said_after_a_quote_takes_the_phrase_that_follows():
    (s,) = suggest_attributions('"It is over," said a spokesman for the ministry.')
    assert (s.text, s.source_type, s.rule) == (
        "a spokesman for the ministry",
        "official_body",
        "inverted",
    )


def test_anonymity_in_the_sentence_makes_an_official_anonymous():
    (s,) = suggest_attributions(
        "An official, who spoke on condition of anonymity, said the plan was dead."
    )
    assert (s.text, s.source_type) == ("An official", "anonymous")


def test_several_sentences_each_get_their_own_source():
    text = "Police said two men were held. According to Reuters, both were released."
    got = [(s.text, s.source_type) for s in suggest_attributions(text)]
    assert got == [("Police", "official_body"), ("Reuters", "other_outlet")]


def test_empty_and_cue_free_text_give_nothing():
    assert suggest_attributions("") == []
    assert suggest_attributions("Heavy rain fell overnight across the region.") == []


def test_a_heading_without_a_full_stop_does_not_join_the_next_subject():
    text = "Floods in the north\nThe regional governor said roads were closed."
    assert [s.text for s in suggest_attributions(text)] == ["The regional governor"]


def test_a_parenthesis_with_its_own_comma_leaves_the_name_as_the_source():
    text = "Rosa Tamm, a Tartu, Estonia-based historian, told the paper the archive was lost."
    assert [(s.text, s.source_type) for s in suggest_attributions(text)] == [
        ("Rosa Tamm", "named_person")
    ]


def test_a_participle_after_a_document_keeps_it_a_document():
    text = "According to a 2023 study prepared by the Harbour Institute, tides are rising."
    assert [(s.text, s.source_type) for s in suggest_attributions(text)] == [
        ("a 2023 study prepared by the Harbour Institute", "document")
    ]


def test_a_full_name_after_a_title_of_an_organisation_is_a_person():
    text = "Director General of Customs Lena Vaher said seizures had doubled."
    assert [(s.text, s.source_type) for s in suggest_attributions(text)] == [
        ("Director General of Customs Lena Vaher", "named_person")
    ]
