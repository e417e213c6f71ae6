"""The queue's orders (annotate.queue.ordering), pure: no database."""

import itertools

import numpy as np
import pandas as pd
import pytest

from annotate.queue.ordering import (
    INTERLEAVED,
    ORDERS,
    RANDOM_DOCUMENT,
    READING,
    queue_sequence,
)


def corpus(outlets):
    """One row per passage; ``outlets`` maps an outlet id to its documents' passage counts.

    Documents are numbered 100, 101, ... and passages 1000, 1001, ... in reading order,
    outlet after outlet as a campaign's reading order would have them."""
    rows, document, passage = [], 100, 1000
    for outlet, sizes in outlets.items():
        for size in sizes:
            for _ in range(size):
                rows.append((passage, outlet, document, len(rows)))
                passage += 1
            document += 1
    return pd.DataFrame(rows, columns=["passage", "outlet", "document", "reading"])


FIVE = {1: [12, 7, 9], 2: [15, 4], 3: [6, 6, 6, 6], 4: [20], 5: [3, 11]}


def queued(passages, order, block=3, seed=0):
    """The passages' rows in the order the queue hands them out."""
    sequence = queue_sequence(passages, order, block, seed)
    return passages.set_index("passage").loc[sequence.sort_values().index].reset_index()


def runs(values):
    """Lengths of runs of equal consecutive values."""
    return [len(list(group)) for _, group in itertools.groupby(values)]


@pytest.mark.parametrize("order", ORDERS)
def test_every_passage_gets_exactly_one_place_numbered_from_zero(order):
    passages = corpus(FIVE)
    sequence = queue_sequence(passages, order, 3, 11)
    assert sorted(sequence.index) == sorted(passages["passage"])
    assert sorted(sequence) == list(range(len(passages)))


@pytest.mark.parametrize("order", ORDERS)
def test_each_documents_passages_keep_their_reading_order(order):
    handed = queued(corpus(FIVE), order, 3, 5)
    for _, rows in handed.groupby("document", sort=False):
        assert list(rows["reading"]) == sorted(rows["reading"])


def test_reading_order_is_the_campaigns_reading_order():
    passages = corpus(FIVE)
    assert list(queued(passages, READING)["passage"]) == list(passages["passage"])


def test_reading_order_ignores_the_seed():
    passages = corpus(FIVE)
    assert queue_sequence(passages, READING, 3, 1).equals(queue_sequence(passages, READING, 3, 2))


def test_interleaved_moves_to_another_outlet_after_each_block_of_one_document():
    handed = queued(corpus(FIVE), INTERLEAVED, block=3, seed=7)
    # While every outlet has passages left (the smallest, outlet 5, has 14 = 5 blocks:
    # 3, 3, 3, 2 and 3), the queue hands out whole blocks, one outlet after another.
    head = handed.iloc[:40]
    assert max(runs(head["outlet"])) <= 3
    for start in range(0, 15, 3):
        block = handed.iloc[start : start + 3]
        assert block["document"].nunique() == 1
        assert list(block["reading"]) == list(
            range(block["reading"].min(), block["reading"].min() + 3)
        )
    # The first round gives each of the five outlets one block.
    assert sorted(handed.iloc[:15]["outlet"].unique()) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("block", [1, 2, 3, 5])
def test_any_prefix_of_the_interleaved_queue_is_balanced_across_outlets(block):
    # Equal allocation: while every outlet has passages left, no outlet is ahead of another
    # by more than a block, whatever the prefix (documents here divide into whole blocks).
    outlets = {o: [block * k for k in sizes] for o, sizes in {1: [3, 2], 2: [4, 1], 3: [5]}.items()}
    handed = queued(corpus(outlets), INTERLEAVED, block=block, seed=3)
    for n in range(1, 5 * block * 3):
        counts = handed.iloc[:n]["outlet"].value_counts().reindex([1, 2, 3], fill_value=0)
        assert counts.max() - counts.min() <= block


def first_appearances(handed, outlet):
    return tuple(handed[handed["outlet"] == outlet].drop_duplicates("document")["document"])


def test_interleaved_takes_each_outlets_documents_in_a_seeded_random_order():
    passages = corpus({1: [2] * 8, 2: [2] * 8})
    orders = {first_appearances(queued(passages, INTERLEAVED, 2, seed), 1) for seed in range(6)}
    assert len(orders) > 1  # the seed decides
    assert orders != {tuple(range(100, 108))}  # not reading order


@pytest.mark.parametrize("order", [INTERLEAVED, RANDOM_DOCUMENT])
def test_the_same_seed_gives_the_same_queue(order):
    passages = corpus(FIVE)
    assert queue_sequence(passages, order, 3, 2024).equals(queue_sequence(passages, order, 3, 2024))


@pytest.mark.parametrize("order", [INTERLEAVED, RANDOM_DOCUMENT])
def test_a_different_seed_gives_a_different_queue(order):
    passages = corpus(FIVE)
    assert not queue_sequence(passages, order, 3, 1).equals(queue_sequence(passages, order, 3, 2))


@pytest.mark.parametrize("order", ORDERS)
def test_the_queue_does_not_depend_on_the_order_of_the_input_rows(order):
    passages = corpus(FIVE)
    shuffled = passages.sample(frac=1, random_state=np.random.default_rng(0))
    expected = queue_sequence(passages, order, 3, 9)
    assert queue_sequence(shuffled, order, 3, 9).sort_index().equals(expected.sort_index())


def test_an_outlet_that_runs_out_early_drops_out_and_the_others_go_on_alternating():
    passages = corpus({1: [3], 2: [12], 3: [12]})  # outlet 1: a single block
    handed = queued(passages, INTERLEAVED, block=3, seed=4)
    first_round = handed.iloc[:9]
    assert sorted(first_round["outlet"].unique()) == [1, 2, 3]
    rest = handed.iloc[9:]
    assert 1 not in set(rest["outlet"])
    assert runs(rest["outlet"]) == [3] * 6  # 2 and 3 alternate in blocks of three


def test_a_single_outlet_is_its_documents_in_random_order_each_read_through():
    passages = corpus({7: [4, 5, 6, 3]})
    sizes = passages.groupby("document").size()
    orders = set()
    for seed in range(6):
        handed = queued(passages, INTERLEAVED, block=2, seed=seed)
        documents = handed["document"].drop_duplicates()
        assert runs(handed["document"]) == list(documents.map(sizes))
        orders.add(tuple(documents))
    assert len(orders) > 1


@pytest.mark.parametrize("order", ORDERS)
def test_a_single_document_is_read_in_order(order):
    passages = corpus({1: [9]})
    assert list(queued(passages, order, 4, 1)["reading"]) == list(range(9))


def test_random_by_document_hands_out_whole_documents_across_outlets():
    passages = corpus(FIVE)
    handed = queued(passages, RANDOM_DOCUMENT, seed=12)
    assert len(runs(handed["document"])) == passages["document"].nunique()
    by_outlet = list(handed.drop_duplicates("document")["outlet"])
    assert by_outlet != sorted(by_outlet)  # documents of one outlet are not kept together


def test_a_block_larger_than_every_document_hands_out_whole_documents_by_outlet_in_turn():
    passages = corpus({1: [2, 2], 2: [3, 1]})
    handed = queued(passages, INTERLEAVED, block=10, seed=0)
    assert len(runs(handed["document"])) == 4  # each document in one piece
    outlets = list(handed.drop_duplicates("document")["outlet"])
    assert outlets in ([1, 2, 1, 2], [2, 1, 2, 1])


def test_no_passages_give_an_empty_queue():
    empty = corpus({})
    for order in ORDERS:
        assert queue_sequence(empty, order).empty


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda p: p.drop(columns="outlet"), "lack column"),
        (lambda p: pd.concat([p, p.iloc[:1]]), "appears twice"),
        (lambda p: p.assign(reading=0), "reading position"),
        (lambda p: p.assign(outlet=range(len(p))), "more than one outlet"),
    ],
)
def test_malformed_passages_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        queue_sequence(change(corpus(FIVE)), INTERLEAVED)


@pytest.mark.parametrize(
    "order, block", [("alphabetical", 3), (INTERLEAVED, 0), (INTERLEAVED, 2.5)]
)
def test_an_unknown_order_or_a_block_below_one_is_refused(order, block):
    with pytest.raises(ValueError):
        queue_sequence(corpus(FIVE), order, block)
