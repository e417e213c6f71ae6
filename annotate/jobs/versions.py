"""A campaign's data version: bumped by every write that changes the campaign's data.

Call ``bump(campaign_id)`` inside the write's own transaction, next to the write: the new
data and the new version then commit together, so a result cached at the old version is
never taken for current once the change is visible. As late in the transaction as the code
allows, because on PostgreSQL the UPDATE holds the campaign row until commit and the
campaign's other writers wait on it (PostgreSQL detects a deadlock this could make and
fails one of the two writes; the queue and adjudication services then try it again).

A computation reads the version (``current``) before it reads any data: what it computes
then includes at least everything up to that version, and labelling it with that version
can only make it look older than it is, never newer.
"""

from django.db.models import F

from annotate.models import Campaign


def bump(campaign_id):
    """One ``UPDATE ... SET data_version = data_version + 1`` of the campaign's row."""
    Campaign.objects.filter(pk=campaign_id).update(data_version=F("data_version") + 1)


def current(campaign_id):
    """The campaign's data version as stored now (one query)."""
    return Campaign.objects.filter(pk=campaign_id).values_list("data_version", flat=True).get()
