from django.core.management.base import BaseCommand, CommandError

from corpus import segmentation
from corpus.importer import import_path


class Command(BaseCommand):
    help = (
        "Import documents from a folder of .txt files with a manifest.csv, a .zip of such a "
        "folder, a .csv or a .jsonl file. Re-importing the same input changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--mode",
            choices=segmentation.MODES,
            default=segmentation.SENTENCE,
            help="split documents into sentences (default) or paragraphs",
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, paths, mode, no_progress, **options):
        failed = False
        for path in paths:
            report = import_path(path, mode=mode, progress=not no_progress)
            for error in report.errors:
                self.stderr.write(self.style.ERROR(error))
            if report.errors_not_listed:
                self.stderr.write(
                    self.style.ERROR(f"... and {report.errors_not_listed:,} more error(s)")
                )
            self.stdout.write(f"{path}: {report.summary()}")
            failed = failed or not report.ok
        if failed:
            raise CommandError("some files were not imported; nothing from them was written")
