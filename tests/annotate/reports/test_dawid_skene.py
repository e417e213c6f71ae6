"""Dawid-Skene EM, checked on the paper's worked example, a loop transcription and boundaries."""

import math

import numpy as np
import pandas as pd
import pytest

from annotate.reports.dawid_skene import NO_DATA, ONE_ANNOTATOR, dawid_skene

# Dawid & Skene (1979), Table 1: 45 patients, 5 anaesthetists, classes 1-4. Per patient, the
# three answers of observer 1 (who assessed every patient three times), then observers 2-5.
TABLE_1 = (
    "1111111 3334334 1122122 2223121 2223222 2223322 1222111 3333433 2222223 "
    "2322223 4444444 2223343 1111111 2223212 1211111 1112111 1111111 1111111 "
    "2222221 2221322 2222222 2222221 2223222 2212222 1111111 1111111 2322222 "
    "1111111 1111111 1121121 1111111 3333233 1111111 2222222 2223232 4334343 "
    "2212232 2323233 3333432 1111111 1111111 1212111 2322222 1211111 2222222"
).split()


def table_1():
    observers = [1, 1, 1, 2, 3, 4, 5]
    rows = [
        (patient, observer, int(answer))
        for patient, answers in enumerate(TABLE_1, start=1)
        for observer, answer in zip(observers, answers, strict=True)
    ]
    return pd.DataFrame(rows, columns=["item", "annotator", "label"])


def loop_reference(frame, classes, smoothing, iterations):
    """The paper's equations (2.3)-(2.5) and start (3.1), written as plain loops."""
    items = sorted(frame["item"].unique())
    people = sorted(frame["annotator"].unique())
    n = np.zeros((len(items), len(people), len(classes)))
    for item, person, label in frame.itertuples(index=False):
        n[items.index(item), people.index(person), classes.index(label)] += 1
    t = n.sum(axis=1) / n.sum(axis=(1, 2))[:, None]
    for _ in range(iterations + 1):  # the first round starts from the vote shares
        prior = t.mean(axis=0)
        theta = np.zeros((len(people), len(classes), len(classes)))
        for j in range(len(people)):
            for k in range(len(classes)):
                for label in range(len(classes)):
                    theta[j, k, label] = (t[:, k] * n[:, j, label]).sum() + smoothing
                theta[j, k] /= theta[j, k].sum()
        for i in range(len(items)):
            for k in range(len(classes)):
                t[i, k] = prior[k] * np.prod(theta[:, k, :] ** n[i])
            t[i] /= t[i].sum()
    return t, prior, theta


def test_paper_example_reaches_the_maximum_likelihood_estimates():
    result = dawid_skene(table_1(), smoothing=0, tol=1e-12, max_iter=500)
    assert result.converged
    # The fixed point reached for these data by the paper's algorithm as other implementations
    # run it (crowd-kit 1.4.2's DawidSkene agrees to 1e-9): class shares and observer 1's
    # error rates (rows: true class, columns: answer).
    assert result.priors.round(2).tolist() == [0.40, 0.42, 0.11, 0.07]
    one = result.confusion[result.confusion["annotator"] == 1]
    rates = one.pivot(index="true_label", columns="label", values="probability").round(2)
    assert rates.to_numpy().tolist() == [
        [0.89, 0.11, 0.0, 0.0],
        [0.07, 0.88, 0.05, 0.0],
        [0.0, 0.34, 0.66, 0.0],
        [0.0, 0.0, 0.56, 0.44],
    ]
    post = result.posteriors.round(3)
    assert post.loc[7].tolist() == [0.981, 0.019, 0.0, 0.0]
    assert post.loc[35].tolist() == [0.0, 0.948, 0.052, 0.0]
    assert post.loc[38].tolist() == [0.0, 0.021, 0.979, 0.0]
    assert result.log_likelihood == pytest.approx(-192.8909, abs=1e-4)
    # Patient 3: two of seven answers say 1, yet the model settles on class 2.
    assert result.labels.loc[3] == 2 and result.labels.loc[2] == 4


@pytest.mark.parametrize("smoothing", [0.0, 0.5])
def test_matches_a_loop_transcription_of_the_paper_iteration_by_iteration(smoothing):
    rng = np.random.default_rng(1)
    rows = [
        (i, j, int(rng.integers(3)) if rng.random() < 0.4 else i % 3)
        for i in range(30)
        for j in rng.choice(5, 3, replace=False)
    ]
    frame = pd.DataFrame(rows, columns=["item", "annotator", "label"])
    t, prior, theta = loop_reference(frame, [0, 1, 2], smoothing, iterations=7)
    result = dawid_skene(frame, labels=[0, 1, 2], smoothing=smoothing, tol=0, max_iter=7)
    assert result.iterations == 7 and not result.converged
    assert result.posteriors.to_numpy() == pytest.approx(t, abs=1e-12)
    assert result.priors.to_numpy() == pytest.approx(prior, abs=1e-12)
    assert result.confusion["probability"].to_numpy() == pytest.approx(theta.ravel(), abs=1e-12)
    accuracy = (theta[:, [0, 1, 2], [0, 1, 2]] * prior).sum(axis=1)
    assert result.accuracy["accuracy"].to_numpy() == pytest.approx(accuracy, abs=1e-12)


def test_estimated_accuracies_recover_the_simulated_reviewers():
    rng = np.random.default_rng(2)
    truth = rng.choice(3, 3000, p=[0.5, 0.3, 0.2])
    skill = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.55])
    rows = []
    for i, true in enumerate(truth):
        for j in rng.choice(6, 3, replace=False):
            rows.append((i, j, true if rng.random() < skill[j] else int(rng.integers(3))))
    result = dawid_skene(pd.DataFrame(rows, columns=["item", "annotator", "label"]))
    # A wrong answer is uniform over 3 classes, so P(correct) = s + (1 - s) / 3.
    assert result.accuracy["accuracy"].to_numpy() == pytest.approx(
        skill + (1 - skill) / 3, abs=0.03
    )
    assert result.priors.to_numpy() == pytest.approx([0.5, 0.3, 0.2], abs=0.03)
    majority = pd.DataFrame(rows).groupby(0)[2].agg(lambda s: s.mode().iloc[0])
    assert (result.labels.to_numpy() == truth).mean() > (majority.to_numpy() == truth).mean()


def test_one_reviewer_gives_back_their_labels_with_a_note():
    frame = pd.DataFrame({"item": [1, 2, 3], "annotator": "a", "label": ["x", "y", "x"]})
    result = dawid_skene(frame)
    assert result.note == ONE_ANNOTATOR
    assert result.labels.tolist() == ["x", "y", "x"]
    assert (result.posteriors.max(axis=1) > 0.9).all()


def test_one_document_one_passage_is_estimated_from_its_votes():
    frame = pd.DataFrame({"item": [7, 7, 7], "annotator": ["a", "b", "c"], "label": list("xxy")})
    result = dawid_skene(frame)
    assert result.labels.loc[7] == "x" and result.note is None
    assert result.posteriors.loc[7].sum() == pytest.approx(1.0)


def test_unanimous_reviewers_are_estimated_accurate_and_unused_labels_get_nothing():
    frame = pd.DataFrame(
        [(i, r, "opinion" if i % 2 else "sourced_fact") for i in range(20) for r in "abc"],
        columns=["item", "annotator", "label"],
    )
    result = dawid_skene(frame, labels=["sourced_fact", "attributed_claim", "opinion"])
    assert result.labels.tolist() == ["sourced_fact", "opinion"] * 10
    assert result.priors["attributed_claim"] == 0
    assert (result.posteriors["attributed_claim"] == 0).all()
    assert (result.accuracy["accuracy"] > 0.99).all()
    never = result.confusion[result.confusion["true_label"] == "attributed_claim"]
    assert never["probability"].to_numpy() == pytest.approx(1 / 3)  # no information: uniform


def test_no_annotations_is_an_empty_result_with_a_reason():
    frame = pd.DataFrame(columns=["item", "annotator", "label"])
    result = dawid_skene(frame, labels=["x", "y"])
    assert result.note == NO_DATA and result.posteriors.empty
    assert list(result.posteriors.columns) == ["x", "y"] and math.isnan(result.log_likelihood)


def test_known_labels_stay_fixed_and_inform_the_confusion_matrices():
    frame = pd.DataFrame(
        [(i, r, "x") for i in range(6) for r in "ab"], columns=["item", "annotator", "label"]
    )
    known = pd.Series(["y", "y"], index=[0, 1])
    result = dawid_skene(frame, labels=["x", "y"], known=known)
    assert result.labels.loc[[0, 1]].tolist() == ["y", "y"]
    assert result.posteriors.loc[0, "y"] == 1.0
    theta = result.confusion.set_index(["annotator", "true_label", "label"])["probability"]
    assert theta[("a", "y", "x")] > 0.9  # the reviewers said x where the curator decided y


def test_labels_outside_the_class_list_are_an_error():
    frame = pd.DataFrame({"item": [1], "annotator": ["a"], "label": ["z"]})
    with pytest.raises(ValueError, match="not in the class list"):
        dawid_skene(frame, labels=["x", "y"])
