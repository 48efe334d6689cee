from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from drafting.links import absolute_url
from drafting.models import Member
from drafting.password_links import INVITATION, email_link, link_path


class Command(BaseCommand):
    help = (
        "Add a member of the working group (for example the first admin of a new deployment) and print the "
        "one-time link, valid 72 hours, at which they choose their password. --send also emails it."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("full_name")
        parser.add_argument("--role", default=Member.Role.DRAFTER, help="drafter (default), reviewer or admin")
        parser.add_argument("--agency", default="")
        parser.add_argument("--position", default="")
        parser.add_argument("--base-url", default=None,
                            help="the site's address, for the link (default: the SITE_URL setting)")
        parser.add_argument("--send", action="store_true", help="also email the link to the member")
        parser.add_argument("--staff", action="store_true",
                            help="an admin only: also let them read the records pages at /admin/ (read-only)")

    def handle(self, *args, email, full_name, role, agency, position, base_url, send, staff, **options):
        if staff and role != Member.Role.ADMIN:
            raise CommandError("Only an admin can open the records pages (/admin/): add --role admin.")
        try:
            with transaction.atomic():
                member = Member.add(full_name=full_name, email=email, role=role, agency=agency, position=position)
                if staff:
                    # Staff opens the read-only admin; nobody is made a superuser (see drafting/admin_site.py).
                    member.user.is_staff = True
                    member.user.save(update_fields=["is_staff"])
                if send:
                    url = email_link(member.user, INVITATION, base_url)  # sent once this block commits
                else:
                    url = absolute_url(link_path(member.user, INVITATION), base_url)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Added {member.full_name} ({member.get_role_display()}); they sign in as "
                          f"{member.user.username}.")
        self.stdout.write(f"Password link (once, 72 hours{', emailed' if send else ''}): {url}")
