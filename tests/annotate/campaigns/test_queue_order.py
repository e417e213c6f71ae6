"""A campaign's queue order: how places are sequenced, re-sequenced, set and kept.

The order itself is annotate.queue.ordering (tests/annotate/queue/test_ordering.py); here,
the services that give places their sequences (sync_slots, resequence, save_settings), the
settings form and the admin, the annotation page's "sentence 4 of 23", backup and restore,
and the migration that keeps existing campaigns in reading order.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotate.campaigns import services as campaign_services
from annotate.campaigns.defaults import default_scheme
from annotate.campaigns.forms import CampaignSettingsForm
from annotate.interchange.backup import backup_campaign
from annotate.interchange.restore import restore_campaign
from annotate.models import (
    Annotation,
    AnnotationRevision,
    Assignment,
    Campaign,
    CampaignDocument,
    Membership,
    Skip,
)
from annotate.models.campaigns import QUEUE_SEEDS
from annotate.queue import services
from corpus.models import Passage
from tests.conftest import login, make_campaign

pytestmark = pytest.mark.django_db
Order = Campaign.QueueOrder
REVIEWERS = ("alice", "bob", "dave")


def answer(label="opinion"):
    return {
        "label": label,
        "cited_source": "",
        "cited_type": "",
        "markers": [],
        "confidence": "medium",
        "note": "",
    }


def new_campaign(documents, users, order=None, activate=True, name="Queue", **fields):
    """A campaign over ``documents`` in this reading order, overlap 3, in ``order`` (default:
    the model's default for new campaigns), with alice, bob and dave reviewing and mike
    managing; ``fields`` are set before activation."""
    default = Campaign._meta.get_field("queue_order").default
    campaign = make_campaign(
        name, documents, users, overlap=3, activate=False, queue_order=order or default
    )
    if fields:
        Campaign.objects.filter(pk=campaign.pk).update(**fields)
        campaign.refresh_from_db()
    if activate:
        campaign_services.activate_campaign(campaign)
    return campaign


def reading_frame(campaign):
    """(passage id, outlet id, document id) of the annotatable passages, in reading order,
    read independently of the services."""
    return list(
        Passage.objects.filter(document__campaigndocument__campaign=campaign)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .order_by("document__campaigndocument__position", "position")
        .values_list("pk", "document__source_id", "document_id")
    )


def sequences(campaign):
    """{passage id: sequence} — after checking every place of a passage shares one."""
    seen = {}
    for passage_id, sequence in Assignment.objects.filter(campaign=campaign).values_list(
        "passage_id", "sequence"
    ):
        assert seen.setdefault(passage_id, sequence) == sequence, "one passage, two sequences"
    return seen


def queue(campaign):
    """Passage ids in the order the queue would hand them out (lowest sequence first)."""
    return [p for p, _ in sorted(sequences(campaign).items(), key=lambda item: item[1])]


def places():
    return list(
        Assignment.objects.order_by("pk").values_list(
            "pk", "passage_id", "slot", "sequence", "status", "reviewer_id"
        )
    )


def claim_round_robin(campaign, users, claims, save=True):
    """``claims`` claims, the three reviewers taking turns; each saves what they get.
    Returns the places handed out."""
    handed = []
    for i in range(claims):
        reviewer = users[REVIEWERS[i % 3]]
        place = services.claim_next(campaign, reviewer)
        assert place is not None
        handed.append(place)
        if save:
            services.save_annotation(campaign, reviewer, place.pk, answer())
    return handed


# New campaigns --------------------------------------------------------------------------


def test_a_new_campaign_is_interleaved_with_block_three_and_a_random_seed(db):
    campaign = Campaign.objects.create(name="New", slug="new", scheme=default_scheme())
    assert campaign.queue_order == Order.INTERLEAVED
    assert campaign.queue_block == 3
    assert 0 <= campaign.queue_seed < QUEUE_SEEDS
    seeds = {
        Campaign.objects.create(name=f"N{i}", slug=f"n{i}", scheme=default_scheme()).queue_seed
        for i in range(8)
    }
    assert len(seeds) > 1  # chosen at random, not a constant (8 equal draws: p = 1e-42)


def test_the_order_values_are_the_pure_modules():
    from annotate.queue import ordering

    assert set(Order.values) == set(ordering.ORDERS)


# Sequencing on activation -----------------------------------------------------------------


@pytest.mark.parametrize("order", Order.values)
def test_activation_sequences_places_by_the_campaigns_order(seed_corpus, users, order):
    campaign = new_campaign(seed_corpus, users, order=order, queue_seed=77)
    frame = reading_frame(campaign)
    handed = queue(campaign)
    assert sorted(handed) == sorted(p for p, _, _ in frame)
    assert sorted(sequences(campaign).values()) == list(range(len(frame)))
    outlet_of = {p: o for p, o, _ in frame}
    document_of = {p: d for p, _, d in frame}
    reading = {p: i for i, (p, _, _) in enumerate(frame)}
    if order == Order.READING:
        assert handed == [p for p, _, _ in frame]
        return
    # Each document's passages keep their reading order whatever the campaign's order.
    for document in set(document_of.values()):
        mine = [reading[p] for p in handed if document_of[p] == document]
        assert mine == sorted(mine)
    switches = sum(outlet_of[a] != outlet_of[b] for a, b in zip(handed, handed[1:], strict=False))
    if order == Order.RANDOM_DOCUMENT:
        assert switches == len(seed_corpus) - 1  # one document after another
    else:
        # Five outlets, one document each: blocks of three, outlets taking turns.
        assert [outlet_of[p] for p in handed[:3]] == [outlet_of[handed[0]]] * 3
        assert len({outlet_of[p] for p in handed[:15]}) == len(seed_corpus)
        assert switches > 3 * len(seed_corpus)


def test_after_45_claims_by_three_reviewers_every_outlet_has_been_handed_out(seed_corpus, users):
    # Overlap 3: each passage goes to all three reviewers, so 45 claims are 15 passages:
    # one block of three from each of the five outlets.
    campaign = new_campaign(seed_corpus, users)
    handed = claim_round_robin(campaign, users, 45)
    outlets = {p.passage.document.source_id for p in handed}
    assert len(outlets) == len(seed_corpus) == 5


def test_in_reading_order_the_same_45_claims_reach_only_the_first_outlets(seed_corpus, users):
    campaign = new_campaign(seed_corpus, users, order=Order.READING)
    handed = claim_round_robin(campaign, users, 45)
    outlets = {p.passage.document.source_id for p in handed}
    assert outlets == {outlet for _, outlet, _ in reading_frame(campaign)[:15]}
    assert len(outlets) < 5


# Re-sequencing ------------------------------------------------------------------------------


def settings_post(campaign, **changes):
    data = {
        "name": campaign.name,
        "guidelines": campaign.guidelines,
        "overlap": campaign.overlap,
        "status": campaign.status,
        "auto_accept_unanimous": "on" if campaign.auto_accept_unanimous else "",
        "queue_order": campaign.queue_order,
        "queue_block": campaign.queue_block,
        "queue_seed": campaign.queue_seed,
        **changes,
    }
    return {k: v for k, v in data.items() if v != ""}


def save_settings(campaign, **changes):
    form = CampaignSettingsForm(settings_post(campaign, **changes), instance=campaign)
    assert form.is_valid(), form.errors
    return campaign_services.save_settings(form)


@pytest.fixture
def started(seed_corpus, users):
    """An interleaved campaign: 12 claims saved (4 passages done by all three), then alice
    holds a claim on a fifth passage and bob has saved it; a sixth passage was skipped."""
    campaign = new_campaign(seed_corpus, users, queue_seed=5)
    claim_round_robin(campaign, users, 12)
    held = services.claim_next(campaign, users["alice"])
    bob = services.claim_next(campaign, users["bob"])
    assert bob.passage_id == held.passage_id
    services.save_annotation(campaign, users["bob"], bob.pk, answer())
    dave = services.claim_next(campaign, users["dave"])
    services.save_annotation(campaign, users["dave"], dave.pk, answer())
    skipped = services.claim_next(campaign, users["dave"])
    services.skip(campaign, users["dave"], skipped.pk, "not a statement")
    return campaign


def handed_out(campaign):
    """{passage id: sequence} of passages with a claimed or done place."""
    ids = set(
        Assignment.objects.filter(campaign=campaign)
        .exclude(status=Assignment.Status.OPEN)
        .values_list("passage_id", flat=True)
    )
    return {p: s for p, s in sequences(campaign).items() if p in ids}


@pytest.mark.parametrize(
    "change",
    [
        {"queue_order": Order.RANDOM_DOCUMENT},
        {"queue_order": Order.READING},
        {"queue_block": 1},
        {"queue_seed": 6},
    ],
)
def test_changing_the_order_of_an_active_campaign_moves_only_places_not_handed_out(started, change):
    kept = handed_out(started)
    assert len(kept) == 5  # four done by all, one claimed by alice and done by bob and dave
    before = queue(started)
    campaign = save_settings(started, **change)
    after = sequences(campaign)
    assert {p: after[p] for p in kept} == kept
    free = [p for p in queue(campaign) if p not in kept]
    assert min(after[p] for p in free) > max(kept.values())
    # The free passages now follow the new order: the same as a fresh campaign in that
    # order would hand out, less the kept passages.
    fresh = Campaign.objects.get(pk=campaign.pk)
    fresh.pk, fresh.name, fresh.slug = None, "Fresh", "fresh"
    fresh.save()
    campaign_services.add_documents(
        fresh, [cd.document for cd in campaign.campaigndocument_set.order_by("position")]
    )
    campaign_services.activate_campaign(fresh)
    expected = [p for p in queue(fresh) if p not in kept]
    assert free == expected
    assert free != [p for p in before if p not in kept]


def test_the_skipped_passage_with_no_place_held_is_re_sequenced_like_any_free_one(started):
    skipped = Skip.objects.get().passage_id
    assert skipped not in handed_out(started)
    save_settings(started, queue_order=Order.READING)
    assert sequences(started)[skipped] > max(handed_out(started).values())


def test_the_claimed_passage_keeps_its_sequence_and_comes_back_to_its_holder(started, users):
    alice = Assignment.objects.get(status=Assignment.Status.CLAIMED)
    save_settings(started, queue_order=Order.RANDOM_DOCUMENT)
    assert Assignment.objects.get(pk=alice.pk).sequence == alice.sequence
    assert services.claim_next(started, users["alice"]).pk == alice.pk


def test_saving_the_same_settings_twice_moves_nothing_the_second_time(started):
    save_settings(started, queue_order=Order.RANDOM_DOCUMENT, queue_seed=99)
    first = places()
    save_settings(started, queue_order=Order.RANDOM_DOCUMENT, queue_seed=99)
    assert places() == first
    assert campaign_services.resequence(started) == 0
    assert campaign_services.sync_slots(started) == 0
    assert places() == first


def test_resequence_reports_how_many_places_moved(started):
    before = {pk: sequence for pk, _, _, sequence, _, _ in places()}
    started.queue_order = Order.READING
    started.save()
    moved = campaign_services.resequence(started)
    after = {pk: sequence for pk, _, _, sequence, _, _ in places()}
    assert moved == sum(before[pk] != after[pk] for pk in before) > 0


def test_a_draft_campaign_keeps_no_places_when_its_order_changes(seed_corpus, users):
    campaign = new_campaign(seed_corpus, users, activate=False)
    save_settings(campaign, queue_order=Order.READING)
    assert not Assignment.objects.exists()


def test_documents_added_to_a_running_interleaved_campaign_are_mixed_in(seed_corpus, users):
    campaign = new_campaign(seed_corpus[:2], users, queue_seed=3)
    claim_round_robin(campaign, users, 6)
    kept = handed_out(campaign)
    campaign_services.add_documents(campaign, seed_corpus[2:])
    after = sequences(campaign)
    assert {p: after[p] for p in kept} == kept
    handed = claim_round_robin(campaign, users, 3 * 15, save=True)
    outlets = {p.passage.document.source_id for p in handed}
    assert outlets >= {d.source_id for d in seed_corpus[2:]}  # the new outlets come in early


def test_re_sequencing_needs_the_same_number_of_queries_for_two_or_five_documents(
    seed_corpus, users
):
    counts = []
    for i, documents in enumerate((seed_corpus[:2], seed_corpus)):
        campaign = new_campaign(documents, users, name=f"Queue {i}")
        campaign.queue_order = Order.READING
        with CaptureQueriesContext(connection) as queries:
            assert campaign_services.resequence(campaign) > 0
        counts.append(len(queries))
    assert counts[0] == counts[1]


# The settings form and the admin ---------------------------------------------------------


def test_the_settings_page_shows_the_queue_order_block_size_and_seed(client, seed_corpus, users):
    campaign = new_campaign(seed_corpus, users, queue_seed=424242)
    login(client, users["mike"])
    page = client.get(reverse("annotate:manage", args=[campaign.slug])).content.decode()
    assert 'name="queue_order"' in page and 'value="interleaved" selected' in page
    assert 'name="queue_block"' in page
    assert 'name="queue_seed"' in page and 'value="424242"' in page


def test_a_settings_post_without_the_queue_fields_keeps_them(client, seed_corpus, users):
    campaign = new_campaign(seed_corpus, users, queue_seed=31, queue_block=4)
    login(client, users["mike"])
    before = places()
    post = {"name": "Renamed", "guidelines": "", "overlap": 3, "status": "active"}
    assert (
        client.post(reverse("annotate:manage_settings", args=[campaign.slug]), post).status_code
        == 302
    )
    campaign.refresh_from_db()
    assert (campaign.name, campaign.queue_order, campaign.queue_block, campaign.queue_seed) == (
        "Renamed",
        Order.INTERLEAVED,
        4,
        31,
    )
    assert places() == before


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"queue_seed": ""}, "queue_seed"),
        ({"queue_seed": "-1"}, "queue_seed"),
        ({"queue_block": "0"}, "queue_block"),
        ({"queue_block": "51"}, "queue_block"),
        ({"queue_order": "alphabetical"}, "queue_order"),
        ({"queue_order": ""}, "queue_order"),
    ],
)
def test_the_settings_form_refuses_a_bad_queue_setting(seed_corpus, users, changes, field):
    campaign = new_campaign(seed_corpus, users, activate=False)
    data = {**settings_post(campaign), **changes}
    form = CampaignSettingsForm(data, instance=campaign)
    assert not form.is_valid()
    assert field in form.errors


def test_a_manager_changing_the_order_on_the_page_re_sequences(client, started, users):
    kept = handed_out(started)
    login(client, users["mike"])
    response = client.post(
        reverse("annotate:manage_settings", args=[started.slug]),
        settings_post(started, queue_order=Order.READING),
    )
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.queue_order == Order.READING
    free = [p for p in queue(started) if p not in kept]
    frame = [p for p, _, _ in reading_frame(started) if p not in kept]
    assert free == frame


def test_changing_the_order_in_the_admin_re_sequences(client, started, users):
    kept = handed_out(started)
    login(client, users["staff"])
    url = reverse("admin:annotate_campaign_change", args=[started.pk])
    assert 'name="queue_seed"' in client.get(url).content.decode()
    data = {
        "name": started.name,
        "slug": started.slug,
        "guidelines": started.guidelines,
        "scheme": started.scheme_id,
        "overlap": started.overlap,
        "status": started.status,
        "auto_accept_unanimous": "on",
        "queue_order": Order.READING,
        "queue_block": started.queue_block,
        "queue_seed": started.queue_seed,
    }
    for prefix in ("campaigndocument_set", "memberships"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = sequences(started)
    assert {p: after[p] for p in kept} == kept
    free = [p for p in queue(started) if p not in kept]
    assert free == [p for p, _, _ in reading_frame(started) if p not in kept]


# The annotation page --------------------------------------------------------------------------


def test_the_annotation_page_says_where_in_the_article_the_passage_sits(client, seed_corpus, users):
    campaign = new_campaign(seed_corpus, users, queue_seed=8)
    login(client, users["alice"])
    for _ in range(4):  # into the second block: another outlet, another article
        place = services.claim_next(campaign, users["alice"])
        passage = place.passage
        page = client.get(reverse("annotate:passage", args=[campaign.slug, place.pk]))
        ours = list(
            passage.document.passages.exclude(kind=Passage.Kind.BOILERPLATE)
            .order_by("position")
            .values_list("pk", flat=True)
        )
        unit = "paragraph" if passage.document.segmentation == "paragraph" else "sentence"
        expected = f"{unit} {ours.index(passage.pk) + 1} of {len(ours)} of this article"
        assert expected in page.content.decode()
        services.save_annotation(campaign, users["alice"], place.pk, answer())


# Backup and restore ---------------------------------------------------------------------------


def remove(campaign):
    AnnotationRevision.objects.filter(annotation__assignment__campaign=campaign).delete()
    Annotation.objects.filter(assignment__campaign=campaign).delete()
    for model in (Skip, Assignment, CampaignDocument, Membership):
        model.objects.filter(campaign=campaign).delete()
    campaign.delete()


def test_a_backup_keeps_the_queue_order_block_and_seed(started, tmp_path):
    Campaign.objects.filter(pk=started.pk).update(
        queue_order=Order.RANDOM_DOCUMENT, queue_block=5, queue_seed=123456
    )
    path = tmp_path / "campaign.jsonl"
    backup_campaign(Campaign.objects.get(pk=started.pk), path)
    before = sequences(started)
    remove(started)
    restored = restore_campaign(path).campaign
    assert (restored.queue_order, restored.queue_block, restored.queue_seed) == (
        Order.RANDOM_DOCUMENT,
        5,
        123456,
    )
    assert sequences(restored) == before


def test_a_backup_made_before_queue_orders_restores_in_reading_order(started, tmp_path):
    path = tmp_path / "campaign.jsonl"
    backup_campaign(started, path)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    for item in lines:
        if item.get("section") == "campaigns":
            for name in ("queue_order", "queue_block", "queue_seed"):
                del item["row"][name]
    path.write_text("".join(json.dumps(item) + "\n" for item in lines))
    remove(started)
    restored = restore_campaign(path).campaign
    # Before this setting existed every queue ran in reading order.
    assert restored.queue_order == Order.READING
    assert restored.queue_block == 3 and 0 <= restored.queue_seed < QUEUE_SEEDS


# The migration -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_campaigns_in_reading_order_and_new_ones_interleave():
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("annotate", "0006_overlap_limit")], [("annotate", "0007_queue_order")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        scheme = old.get_model("annotate", "LabelScheme").objects.create(name="S", slug="s")
        old.get_model("annotate", "Campaign").objects.create(name="Old", slug="old", scheme=scheme)
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        Migrated = executor.loader.project_state(after).apps.get_model("annotate", "Campaign")
        assert Migrated.objects.get(slug="old").queue_order == "reading"
        new = Migrated.objects.create(name="New", slug="new", scheme_id=scheme.pk)
        assert new.queue_order == "interleaved" and new.queue_block == 3
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
