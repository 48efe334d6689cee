from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Run the worker that sends queued email for the configured TASKS_BACKEND: `rqworker --with-scheduler` "
            "for the RQ (Redis) backend (its scheduler puts retries whose wait is over back in the queue), and "
            "`db_worker` for the database backend. `make serve` runs it beside gunicorn; --burst works what is "
            "due and stops.")

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="work the jobs that are due, then stop")

    def handle(self, *args, burst=False, **options):
        verbosity = options["verbosity"]
        if settings.TASKS["default"]["BACKEND"] == settings.RQ_BACKEND:
            extra = ["--burst"] if burst else []
            # django-tasks-rq's job class runs the task as django-tasks does (and records its errors).
            call_command("rqworker", "--with-scheduler", "--job-class", "django_tasks_rq.Job", *extra,
                         *settings.RQ_QUEUES, verbosity=verbosity)
        else:
            extra = ["--batch", "--no-startup-delay"] if burst else []
            call_command("db_worker", *extra, verbosity=verbosity)
