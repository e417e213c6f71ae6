from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from corpus.figure_store import refresh
from corpus.models import Passage


class Command(BaseCommand):
    help = (
        "Find the figures (money, counts, percentages) stated in passages again, replacing the stored "
        "ones: after an improvement to corpus/figures.py, or for passages written without the importer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--outlet", help="only the documents of this outlet (its exact name)")
        parser.add_argument(
            "--document", type=int, action="append", help="only this document id (repeatable)"
        )

    def handle(self, *args, **options):
        passages = Passage.objects.all()
        if options["outlet"]:
            if not passages.filter(document__source__name=options["outlet"]).exists():
                raise CommandError(f"No passages for an outlet called “{options['outlet']}”.")
            passages = passages.filter(document__source__name=options["outlet"])
        if options["document"]:
            passages = passages.filter(document_id__in=options["document"])
            if not passages.exists():
                raise CommandError(
                    f"No passages for document(s) {', '.join(map(str, options['document']))}."
                )
        with transaction.atomic():
            stored = refresh(passages)
        self.stdout.write(
            self.style.SUCCESS(f"{stored} figure(s) in {passages.count()} passage(s).")
        )
