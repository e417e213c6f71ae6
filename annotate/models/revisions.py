"""The history every decision keeps: who changed it, when, and what it was before and after."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Revision(models.Model):
    """One change to a record (an annotation, a curator's decision): its fields before the
    change (None when it was created) and after, as the record's ``snapshot()`` gives them.

    Subclasses add the foreign key to what changed, named by ``subject``.
    """

    subject = ""  # name of the subclass's foreign key to the changed record

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField()

    class Meta:
        abstract = True

    def __str__(self):
        changed = getattr(self, f"{self.subject}_id")
        return f"{changed} changed by {self.changed_by_id} at {self.changed_at:%Y-%m-%d %H:%M}"
