import sys
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from drafting.markdown_format import render
from drafting.models import Document


class Command(BaseCommand):
    help = "Write a document in the Markdown format that import_document reads (optionally as of a moment)."

    def add_arguments(self, parser):
        parser.add_argument("document", nargs="?", help="slug (optional when there is only one document)")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument("--as-of", help="ISO date and time, e.g. 2026-03-01T12:00")

    def handle(self, *args, **options):
        documents = Document.objects.all()
        if options["document"]:
            documents = documents.filter(slug=options["document"])
        if documents.count() != 1:
            slugs = ", ".join(Document.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"name one document by its slug (documents: {slugs})")
        document = documents.get()
        if options["as_of"]:
            try:
                moment = datetime.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(f'--as-of "{options["as_of"]}" is not an ISO date and time') from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            snapshot = Document.history.as_of(moment).filter(id=document.pk).first()
            if snapshot is None:
                raise CommandError(f"{document.slug} did not exist at {moment.isoformat()}")
            text = render(snapshot, [e.clause for e in document.outline_as_of(moment)])
        else:
            text = render(document, document.clauses.all())
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)
