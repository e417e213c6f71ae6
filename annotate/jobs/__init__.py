"""Background jobs: imports, claim suggestions and agreement computations run by a worker
(django-tasks with its database backend, ``manage.py db_worker``), with a page that shows
their progress; and results cached against a campaign's data version.

- ``versions``: bump a campaign's data version with every write to its data;
- ``services``: queue a job, report its progress, finish or fail it, settle jobs whose
  worker died (``mark_stale``); ``uploads``: store an uploaded file and queue its import;
  ``cache``: cached results and the computations that refresh them;
- ``selectors``: who may see a job, its status, cached results;
- ``work``: what each kind of job does; ``tasks``: the django-tasks tasks that run it;
- ``results``: the cached tables, packed and unpacked; ``progress``: percent and time left
  (pure);
- ``views``/``urls``: the job page and its JSON status, polled by static/js/job.js.

Also an app (``annotate.jobs``, label ``annotate_jobs``, no models: the models are in
annotate.models.jobs) for one reason: its ``db_worker`` command replaces django-tasks-db's,
so that a starting worker first settles the jobs a killed worker left running.
"""
