from django.core.management.base import BaseCommand
from django.utils import timezone

from drafting import digests


class Command(BaseCommand):
    help = ("Send every email digest that is due now (daily after DIGEST_HOUR, weekly on Mondays after it), each "
            "at most once: for cron, e.g. hourly. With --schedule, also queue the job queue's own digest task for "
            "the next DIGEST_HOUR; it then queues itself again every day, so run --schedule once, not from cron.")

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="Also start the job queue's daily digest task (once per deployment).")

    def handle(self, *args, schedule=False, **options):
        sent = digests.send_due()
        self.stdout.write(f"Digests queued: {sent}.")
        if schedule:
            result = digests.schedule_next()
            if result is None:
                self.stderr.write("The task backend cannot defer tasks: run this command from cron instead.")
            else:
                self.stdout.write(f"Next digest run queued for {timezone.localtime(result.task.run_after):%Y-%m-%d %H:%M %Z}.")
