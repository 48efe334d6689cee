from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from drafting.importer import import_document
from drafting.markdown_format import FormatError, parse
from drafting.models import Document


class Command(BaseCommand):
    help = (
        "Import a document from the Markdown format (see seeds/concept_2007.md). With --document SLUG, the file "
        "becomes a new version of that document: changed clauses get a history row, missing ones are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--document", help="slug of an existing document to update")
        parser.add_argument("--slug", help="slug for a new document (default: from its title)")
        parser.add_argument("--reason", default="", help='history reason (default "imported from FILE")')
        parser.add_argument("--user", help="username to attribute the change to")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        try:
            parsed = parse(text)
        except FormatError as error:
            raise CommandError(f"{path}: {error}") from error
        document = None
        if options["document"]:
            document = Document.objects.filter(slug=options["document"]).first()
            if document is None:
                raise CommandError(f'no document with slug "{options["document"]}"')
        elif Document.objects.filter(slug=options["slug"]).exists() if options["slug"] else False:
            raise CommandError(f'a document with slug "{options["slug"]}" exists; use --document to update it')
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f'no user "{options["user"]}"')
        reason = options["reason"] or f"imported from {path.name}"
        document, counts = import_document(
            parsed, user=user, reason=reason, slug=options["slug"], document=document
        )
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        self.stdout.write(f"{document.slug}: {summary}")
