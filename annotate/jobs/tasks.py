"""The django-tasks tasks, one per kind of job: each runs its job's work through
services.run, which records the outcome on the job. A task's only argument is the job's
id; everything else is on the job (its args and uploaded file)."""

from django_tasks import task

from annotate.jobs import services, work
from annotate.models import Job

Kind = Job.Kind


def _run(context, job_id, kind):
    return services.run(job_id, context.task_result.id, work.WORK[kind])


@task(takes_context=True)
def corpus_import(context, job_id):
    return _run(context, job_id, Kind.CORPUS_IMPORT)


@task(takes_context=True)
def annotation_import(context, job_id):
    return _run(context, job_id, Kind.ANNOTATION_IMPORT)


@task(takes_context=True)
def suggestions(context, job_id):
    return _run(context, job_id, Kind.SUGGESTIONS)


@task(takes_context=True)
def agreement(context, job_id):
    return _run(context, job_id, Kind.AGREEMENT)


@task(takes_context=True)
def report(context, job_id):
    return _run(context, job_id, Kind.REPORT)


TASKS = {
    Kind.CORPUS_IMPORT: corpus_import,
    Kind.ANNOTATION_IMPORT: annotation_import,
    Kind.SUGGESTIONS: suggestions,
    Kind.AGREEMENT: agreement,
    Kind.REPORT: report,
}
