"""``manage.py db_worker``: django-tasks-db's worker, which first settles the jobs a killed
worker left running (annotate.jobs.services.mark_stale: queued again once, then failed).

It replaces django-tasks-db's command of the same name because annotate.jobs comes before
django_tasks_db in INSTALLED_APPS; its options are that command's.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from annotate.jobs.services import mark_stale


class Command(DatabaseWorkerCommand):
    help = (
        "Run a background worker for Credence's jobs (django-tasks-db), after settling jobs "
        "a killed worker left running."
    )

    def handle(self, *args, **options):
        requeued, failed = mark_stale()
        if requeued or failed:
            self.stdout.write(
                f"Jobs whose worker stopped answering: {requeued} queued again, {failed} failed."
            )
        return super().handle(*args, **options)
