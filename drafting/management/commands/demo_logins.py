from django.core.management.base import BaseCommand

from drafting.seeds import demo_logins, demo_second_factor


class Command(BaseCommand):
    help = ("Print the demo accounts loaded by load_seeds (for local use only), with the authenticator secret "
            "and the current code of those that sign in with two factors.")

    def add_arguments(self, parser):
        # `make run` and `make dev` pass the address they serve on (HOST and PORT), so the link printed is the one
        # that answers.
        parser.add_argument("--address", default="127.0.0.1:8000", help="host:port the app is served on")

    def handle(self, *args, **options):
        self.stdout.write(f"\nDemo logins (local use only) — open http://{options['address']}/")
        self.stdout.write(f"  {'username':<10} {'password':<22} {'role':<9} agency")
        second_factors = []
        for row in demo_logins():
            self.stdout.write(f"  {row['username']:<10} {row['password']:<22} {row['role']:<9} {row['agency']}")
            found = demo_second_factor(row["username"])
            if found:
                second_factors.append((row["username"], *found))
        if second_factors:
            self.stdout.write("\nTwo-factor sign-in: after the password these accounts ask for a code. Add the secret")
            self.stdout.write("to an authenticator app (\"enter a setup key\", time-based), or use the code below: it")
            self.stdout.write("changes every 30 seconds; run `.venv/bin/python manage.py demo_logins` again for a new one.")
            self.stdout.write(f"  {'username':<10} {'secret':<34} code now")
            for username, secret, code in second_factors:
                self.stdout.write(f"  {username:<10} {secret:<34} {code}")
        self.stdout.write("")
