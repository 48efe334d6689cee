from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug
from django.db import IntegrityError
from django.utils.translation import gettext as _

from drafting.importer import ImportRefused, import_document, slug_for
from drafting.markdown_format import FormatError, parse
from drafting.models import Document
from drafting.odt_import import read_office_file
from drafting.word_import import WordRefused


class Command(BaseCommand):
    help = (
        "Import a document from the Markdown format (see seeds/concept_2007.md). With --document SLUG, the file "
        "becomes a new version of that document: changed clauses get a history row, missing ones are removed. "
        "With --translation FILE, a second file in the other language is paired with the first clause by clause "
        "(by number; unnumbered parts by their order), as one bilingual document. A Word or OpenDocument file (FILE.docx, FILE.odt) is "
        "read by its headings and numbers; every guess is printed as a warning, and --dry-run prints the "
        "outline it read without writing anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--translation", type=Path,
                            help="the same document in the other language, paired with FILE clause by clause")
        parser.add_argument("--document", help="slug of an existing document to update")
        parser.add_argument("--slug", help="slug for a new document (default: from its title)")
        parser.add_argument("--reason", default="", help='history reason (default "imported from FILE")')
        parser.add_argument("--user", help="username to attribute the change to")
        parser.add_argument("--language", choices=["az", "en"],
                            help="a Word file's language (default: the document's authoritative language; "
                                 "Azerbaijani for a new document)")
        parser.add_argument("--dry-run", action="store_true",
                            help="print what would be imported, and the warnings, without writing anything")

    @staticmethod
    def _read(path):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        try:
            return parse(text)
        except FormatError as error:
            raise CommandError(f"{path}: {error}") from error

    def _read_word(self, path, language, numbering=""):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        try:
            read = read_office_file(data, language=language, name=path.name, numbering=numbering)
        except WordRefused as error:
            raise CommandError(f"{path}: {error}") from error
        for warning in read.warnings:
            self.stderr.write(_("warning: %(warning)s") % {"warning": warning})
        return read

    def _preview(self, read):
        self.stdout.write(read.parsed.title)
        language = read.parsed.language
        for clause in read.parsed.walk():
            self.stdout.write("  " * (clause.depth + 1) + (_("(closing text)") if clause.closing else " ".join(
                filter(None, (clause.number, clause.text("heading", language))))))
            for line in clause.text("body", language).split("\n"):
                if line:
                    self.stdout.write("  " * (clause.depth + 2) + line)
        self.stdout.write(_("%(count)s warnings; nothing was written (--dry-run).") % {"count": len(read.warnings)})

    def handle(self, *args, **options):
        path = options["file"]
        document, slug = None, None
        if options["document"]:
            document = Document.objects.filter(slug=options["document"]).first()
            if document is None:
                raise CommandError(f'no document with slug "{options["document"]}"')
        if path.suffix.lower() in (".docx", ".odt"):
            language = options["language"] or (document.authoritative_language if document else "az")
            read = self._read_word(path, language, document.numbering if document else "")
            if options["dry_run"]:
                self._preview(read)
                return
            parsed = read.parsed
        else:
            parsed = self._read(path)
            if options["dry_run"]:
                self.stdout.write(_("%(file)s reads as %(count)s clauses; nothing was written (--dry-run).")
                                  % {"file": path.name, "count": len(list(parsed.walk()))})
                return
        translation = self._read(options["translation"]) if options["translation"] else None
        if document is None:
            slug = self._new_slug(options["slug"] or slug_for(parsed), path)
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f'no user "{options["user"]}"')
        reason = options["reason"] or f"imported from {path.name}"
        try:
            names = (path.name, options["translation"].name if translation else "")
            document, counts = import_document(parsed, translation=translation, names=names, user=user,
                                               reason=reason, slug=slug, document=document)
        except ImportRefused as error:
            # Every clause that cannot be paired, one per line, so all can be fixed before the next try.
            raise CommandError(_("nothing was imported:") + "\n  " + "\n  ".join(error.problems)) from error
        except IntegrityError as error:
            if slug is None:
                raise
            # Another import took the slug since we looked.
            raise CommandError(self._slug_taken(slug, path)) from error
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        self.stdout.write(f"{document.slug}: {summary}")

    def _new_slug(self, slug, path):
        if not slug:
            raise CommandError(f"{path}: no slug can be made from the title; give one with --slug")
        try:
            validate_slug(slug)
        except ValidationError as error:
            raise CommandError(f'"{slug}" is not a slug: use letters, digits, "-" and "_" only') from error
        if len(slug) > Document._meta.get_field("slug").max_length:
            raise CommandError(f'the slug "{slug}" is longer than 100 characters')
        if Document.objects.filter(slug=slug).exists():
            raise CommandError(self._slug_taken(slug, path))
        return slug

    @staticmethod
    def _slug_taken(slug, path):
        return (
            f'a document with slug "{slug}" exists: to import {path.name} as a new version of it, add '
            f"--document {slug}; to make a separate document, give it another slug with --slug"
        )
