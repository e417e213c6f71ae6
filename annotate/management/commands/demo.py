import csv
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotate.campaigns import services
from annotate.campaigns.defaults import default_scheme
from annotate.models import Campaign, Membership
from corpus.models import Document

# Development only: fixed so that re-running the command never locks anyone out.
ACCOUNTS = [
    ("admin", "credence-admin", None, True),
    ("curator", "credence-curator", Membership.Role.CURATOR, False),
    ("reviewer1", "credence-reviewer1", Membership.Role.REVIEWER, False),
    ("reviewer2", "credence-reviewer2", Membership.Role.REVIEWER, False),
    ("reviewer3", "credence-reviewer3", Membership.Role.REVIEWER, False),
]
CAMPAIGN = "Afghanistan weapons (demo)"
GUIDELINES = """Read each highlighted passage in the context of its article and decide what kind of statement it is.

Sourced fact: the outlet states it as true and names a source you could check.
Attributed claim: the outlet reports that someone says it, without vouching for it.
Opinion: the outlet's own judgement, prediction or interpretation.

Then note who is cited, tick any bias markers, and say how sure you are. Skip a passage (with a reason) only if it is not a statement at all."""


def _seed_outlets():
    with open(Path(settings.BASE_DIR) / "seeds" / "manifest.csv", encoding="utf-8") as manifest:
        return {row["outlet"] for row in csv.DictReader(manifest)}


class Command(BaseCommand):
    help = "Load the seed articles, create demo accounts and an active demo campaign (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo accounts have published passwords; run this only in development (DEBUG on)."
            )
        call_command(
            "import_corpus",
            str(Path(settings.BASE_DIR) / "seeds"),
            no_progress=True,
            stdout=self.stdout,
        )
        with transaction.atomic():
            users = {}
            for username, password, _role, staff in ACCOUNTS:
                user, _ = get_user_model().objects.get_or_create(username=username)
                user.is_staff = user.is_superuser = staff
                user.set_password(password)
                user.save()
                users[username] = user
            campaign, created = Campaign.objects.get_or_create(
                slug="afghanistan-weapons-demo",
                defaults={
                    "name": CAMPAIGN,
                    "guidelines": GUIDELINES,
                    "scheme": default_scheme(),
                    "overlap": 3,
                },
            )
            if created:
                services.add_documents(
                    campaign,
                    Document.objects.filter(source__name__in=_seed_outlets()).order_by(
                        "source__name"
                    ),
                )
            for username, _password, role, _staff in ACCOUNTS:
                if role:
                    Membership.objects.get_or_create(
                        campaign=campaign, user=users[username], defaults={"role": role}
                    )
            if not campaign.is_active:
                services.activate_campaign(campaign)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo campaign “{campaign.name}” is active over {campaign.documents.count()} articles."
            )
        )
        self.stdout.write("Demo accounts (development only):")
        for username, password, role, staff in ACCOUNTS:
            self.stdout.write(
                f"  {username:<10} password {password:<20} {'administrator' if staff else role}"
            )
