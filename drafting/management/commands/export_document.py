import sys

from django.core.management.base import BaseCommand, CommandError

from drafting.comparison import PointError, read_version, resolve_point
from drafting.markdown_format import render
from drafting.models import Document


class Command(BaseCommand):
    help = "Write a document in the Markdown format that import_document reads (optionally as of a moment)."

    def add_arguments(self, parser):
        parser.add_argument("document", nargs="?", help="slug (optional when there is only one document)")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument(
            "--as-of",
            help="read as on the Versions page: a date and time in TIME_ZONE (2026-03-01T12:00 or "
                 '"2026-03-01 12:00", an offset may follow), a date alone for the end of that day, a milestone '
                 '(m3) or "now"',
        )

    def handle(self, *args, **options):
        documents = Document.objects.all()
        if options["document"]:
            documents = documents.filter(slug=options["document"])
        if documents.count() != 1:
            slugs = ", ".join(Document.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"name one document by its slug (documents: {slugs})")
        document = documents.get()
        if options["as_of"] is not None:
            # The Versions pages' own reading of a point, so a date means the same here as on the web.
            try:
                version = read_version(document, resolve_point(document, options["as_of"]))
            except PointError as error:
                raise CommandError(f"--as-of: {error}") from error
            text = render(version.document, version.clauses)
        else:
            text = render(document, document.clauses.all())
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)
