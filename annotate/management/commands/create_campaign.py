"""manage.py create_campaign: set a campaign up from the command line, all or nothing.

    manage.py create_campaign --name "Afghanistan weapons" --overlap 3 --blind \\
        --outlet "The Jerusalem Post" --outlet Coverpage --from 2023-01-01 \\
        --member alice:reviewer --member bob:reviewer --member carol:curator --activate

Document criteria (--outlet, --from, --to, --search, --document) narrow each other, as on the
Documents page (annotate.campaigns.setup_selectors.pick_documents); with none, the campaign
starts with no documents. Any error (a name taken, an unknown outlet, user or document, a
campaign that cannot be activated) stops the command with its message and creates nothing.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotate.campaigns import setup, setup_selectors
from annotate.models import Campaign, Membership
from annotate.queue.ordering import DEFAULT_BLOCK


def _date(text):
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date (write YYYY-MM-DD).") from exc


def _member(text):
    username, sep, role = text.rpartition(":")
    if not sep or not username or role not in Membership.Role.values:
        raise CommandError(
            f"--member {text!r}: write USER:ROLE, ROLE one of {', '.join(Membership.Role.values)}."
        )
    return username, role


class Command(BaseCommand):
    help = (
        "Create a campaign, add documents picked by outlet, date, search text or id, name its "
        "members and optionally activate it; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--scheme", metavar="SLUG", help="label scheme (default scheme)")
        parser.add_argument("--overlap", type=int, default=3, help="reviewers per passage")
        parser.add_argument("--blind", action="store_true", help="hide outlets from reviewers")
        parser.add_argument(
            "--queue-order",
            choices=Campaign.QueueOrder.values,
            default=Campaign.QueueOrder.INTERLEAVED,
        )
        parser.add_argument("--queue-block", type=int, default=DEFAULT_BLOCK)
        parser.add_argument("--queue-seed", type=int, help="default: random")
        parser.add_argument(
            "--no-auto-accept",
            action="store_true",
            help="every passage waits for a curator, even when reviewers agree",
        )
        parser.add_argument("--guidelines-file", metavar="PATH", help="plain-text guidelines")
        parser.add_argument("--outlet", action="append", default=[], metavar="NAME")
        parser.add_argument("--from", dest="date_from", type=_date, metavar="DATE")
        parser.add_argument("--to", dest="date_to", type=_date, metavar="DATE")
        parser.add_argument("--search", metavar="TEXT", help="in the title or the text")
        parser.add_argument("--document", action="append", type=int, default=[], metavar="ID")
        parser.add_argument(
            "--member", action="append", type=_member, default=[], metavar="USER:ROLE"
        )
        parser.add_argument("--activate", action="store_true")

    def handle(self, *args, **options):
        guidelines = self._guidelines(options["guidelines_file"])
        criteria = {
            "outlets": options["outlet"],
            "date_from": options["date_from"],
            "date_to": options["date_to"],
            "search": options["search"],
            "ids": options["document"],
        }
        self._check_criteria(criteria)
        members = dict(options["member"])
        try:
            with transaction.atomic():
                campaign = setup.create_campaign(
                    None,
                    options["name"],
                    scheme=options["scheme"],
                    overlap=options["overlap"],
                    blind_outlet=options["blind"],
                    queue_order=options["queue_order"],
                    queue_block=options["queue_block"],
                    queue_seed=options["queue_seed"],
                    auto_accept_unanimous=not options["no_auto_accept"],
                    guidelines=guidelines,
                )
                lines = [
                    f"Created campaign “{campaign.name}” (/c/{campaign.slug}/): scheme "
                    f"{campaign.scheme.name}, {campaign.overlap} reviewer(s) per passage, "
                    f"{campaign.get_queue_order_display().lower()} (seed {campaign.queue_seed})"
                    f"{', outlets hidden' if campaign.blind_outlet else ''}."
                ]
                if any(criteria.values()):
                    documents = setup_selectors.pick_documents(**criteria)
                    added = setup.add_picked_documents(campaign, documents)
                    if not added:
                        raise setup.SetupError("No document matches the criteria given.")
                    lines.append(f"Added {added} document(s).")
                if members:
                    setup.set_members(campaign, members)
                    lines.append(
                        "Members: " + ", ".join(f"{u} ({r})" for u, r in members.items()) + "."
                    )
                if options["activate"]:
                    places = setup.activate(campaign)
                    lines.append(f"Activated: {places} reviewer places open for labelling.")
                else:
                    lines.append(
                        "Left as a draft: activate it on its manage page or with --activate."
                    )
        except setup.SetupError as exc:
            raise CommandError(f"{exc} Nothing was created.") from exc
        for line in lines:
            self.stdout.write(line)

    def _guidelines(self, path):
        if not path:
            return ""
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            return file.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text") from exc

    def _check_criteria(self, criteria):
        unknown = setup_selectors.unknown_outlets(criteria["outlets"])
        if unknown:
            known = setup_selectors.outlet_names()
            listed = ", ".join(known[:30]) + (" …" if len(known) > 30 else "")
            raise CommandError(
                f"No outlet called {', '.join(repr(n) for n in unknown)}. "
                f"Outlets: {listed or 'none'}"
            )
        missing = setup_selectors.unknown_document_ids(criteria["ids"])
        if missing:
            raise CommandError(f"No document with id {', '.join(map(str, missing))}.")
        start, end = criteria["date_from"], criteria["date_to"]
        if start and end and start > end:
            raise CommandError("--to comes before --from.")
