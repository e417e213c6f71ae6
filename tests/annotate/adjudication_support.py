"""Helpers for the adjudication tests: reviewers label a campaign through the real services."""

from annotate.queue import services


def label_everything(campaign, reviewer, answer):
    """`reviewer` takes and labels passages until the queue is empty; `answer(passage, reviewer)`
    gives the data saved for each. Returns the passages labelled, in order."""
    done = []
    while (assignment := services.claim_next(campaign, reviewer)) is not None:
        services.save_annotation(
            campaign, reviewer, assignment.pk, answer(assignment.passage, reviewer)
        )
        done.append(assignment.passage)
    return done


def vote(label, cited_type="", cited_source="", markers=(), confidence="medium", note=""):
    return {
        "label": label,
        "cited_type": cited_type,
        "cited_source": cited_source,
        "markers": list(markers),
        "confidence": confidence,
        "note": note,
    }
