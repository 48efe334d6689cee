from django.core.management.base import BaseCommand

from drafting.seeds import demo_logins


class Command(BaseCommand):
    help = "Print the demo accounts loaded by load_seeds (for local use only)."

    def handle(self, *args, **options):
        self.stdout.write("\nDemo logins (local use only) — open http://127.0.0.1:8000/")
        self.stdout.write(f"  {'username':<10} {'password':<22} {'role':<9} agency")
        for row in demo_logins():
            self.stdout.write(f"  {row['username']:<10} {row['password']:<22} {row['role']:<9} {row['agency']}")
        self.stdout.write("")
