"""A small campaign for the report and export tests, built and labelled through the real services.

Outlet "Alpha" has documents D1 (passages p1-p3) and D2 (p4, p5); outlet "Beta" has D3 (p6-p8).
Overlap 2; alice and bob label (alice also p7 alone; nobody p5), carol adjudicates p3:

    passage  alice                          bob                            final
    p1       fact, document                 fact, document                 unanimous fact
    p2       claim, anonymous, loaded       claim, anonymous, loaded       unanimous claim (anonymous, 1 marker)
    p3       opinion                        fact                           adjudicated opinion (2 markers)
    p4       claim, named person            claim, anonymous               unanimous claim (no cited-type majority)
    p5       -                              -                              unresolved, unannotated
    p6       opinion, loaded                opinion                        unanimous opinion (0 markers)
    p7       fact                           -                              unresolved (one of two reviewers)
    p8       claim, anonymous               opinion                        unresolved (disagreement)

alice's places are claimed 20 s before each save except p7, claimed 2 hours before; bob's 30 s.
"""

from datetime import UTC, datetime, timedelta

from annotate.models import Adjudication
from annotate.queue import services
from corpus.models import Document, Passage, Source
from tests.conftest import make_campaign

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
FACT, CLAIM, OPINION = "sourced_fact", "attributed_claim", "opinion"
LOADED, EMOTIONAL = "loaded_language", "emotional_appeal"

PLAN = {  # passage: (alice's answer, bob's answer); None = does not label it
    "p1": ((FACT, "document", "Ministry report", []), (FACT, "document", "Ministry report", [])),
    "p2": (
        (CLAIM, "anonymous", '=HYPERLINK("x")', [LOADED]),
        (CLAIM, "anonymous", "officials", [LOADED]),
    ),
    "p3": ((OPINION, "", "", []), (FACT, "document", "", [])),
    "p4": ((CLAIM, "named_person", "Jane Roe", []), (CLAIM, "anonymous", "", [])),
    "p5": (None, None),
    "p6": ((OPINION, "", "", [LOADED]), (OPINION, "", "", [])),
    "p7": ((FACT, "document", "", []), None),
    "p8": ((CLAIM, "anonymous", "", []), (OPINION, "", "", [])),
}
LAYOUT = {
    "Alpha": {"D1": ["p1", "p2", "p3"], "D2": ["p4", "p5"]},
    "Beta": {"D3": ["p6", "p7", "p8"]},
}


def build_corpus():
    """The three documents; returns ({passage name: Passage}, [documents in reading order])."""
    passages, documents = {}, []
    for outlet, docs in LAYOUT.items():
        source = Source.objects.create(name=outlet, slug=outlet.lower())
        for title, names in docs.items():
            sentences = [f"Sentence {name} of {title}." for name in names]
            document = Document.objects.create(source=source, title=title, text=" ".join(sentences))
            documents.append(document)
            start = 0
            for position, (name, sentence) in enumerate(zip(names, sentences, strict=True)):
                passages[name] = Passage.objects.create(
                    document=document,
                    position=position,
                    start=start,
                    end=start + len(sentence),
                    text=sentence,
                )
                start += len(sentence) + 1
    return passages, documents


def label(campaign, reviewer, index, passages):
    """``reviewer`` works through the queue following PLAN column ``index``; skips the rest."""
    by_id = {p.pk: name for name, p in passages.items()}
    clock = T0
    while (assignment := services.claim_next(campaign, reviewer, now=clock)) is not None:
        name = by_id[assignment.passage_id]
        answer = PLAN[name][index]
        if answer is None:
            services.skip(campaign, reviewer, assignment.pk, "not mine")
            continue
        held = (
            timedelta(hours=2)
            if (index, name) == (0, "p7")
            else timedelta(seconds=20 if index == 0 else 30)
        )
        kind, cited_type, cited_source, markers = answer
        services.save_annotation(
            campaign,
            reviewer,
            assignment.pk,
            {
                "label": kind,
                "cited_type": cited_type,
                "cited_source": cited_source,
                "markers": markers,
                "confidence": "high",
                "note": f"seen {name}",
            },
            now=clock + held,
        )
        clock += held + timedelta(minutes=1)


def small_campaign(users, auto_accept=True):
    """The campaign described in the module docstring; returns (campaign, {name: Passage})."""
    passages, documents = build_corpus()
    campaign = make_campaign("Small", documents, users, overlap=2)
    if not auto_accept:
        campaign.auto_accept_unanimous = False
        campaign.save(update_fields=["auto_accept_unanimous"])
    label(campaign, users["alice"], 0, passages)
    label(campaign, users["bob"], 1, passages)
    Adjudication.objects.create(
        campaign=campaign,
        passage=passages["p3"],
        label=OPINION,
        cited_type="",
        cited_source="",
        markers=[LOADED, EMOTIONAL],
        rationale="+clearly the writer's view",
        decided_by=users["carol"],
        decided_at=T0 + timedelta(days=1),
    )
    return campaign, passages
