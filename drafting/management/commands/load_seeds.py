from django.core.management.base import BaseCommand

from drafting.seeds import load_all


class Command(BaseCommand):
    help = "Load the Concept and the demo members from seeds/ (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        for line in load_all():
            self.stdout.write(line)
