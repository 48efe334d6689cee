import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from drafting.comparison import NOW, PointError, compare_versions_at, read_version, resolve_point, resolve_points
from drafting.exports import traced
from drafting.models import Document, Member

FORMATS = ("markdown", "docx", "csv", "xlsx")


class Command(BaseCommand):
    help = (
        "Export a document for a named member, traced as a download from the web is: the file carries the "
        "document's marking and \"Exported for <member>, <date>\", and the audit lists the export. Markdown (the "
        "format import_document reads, optionally as of a moment), a Word comparison, or the disposition table "
        "(CSV, XLSX)."
    )

    def add_arguments(self, parser):
        parser.add_argument("document", nargs="?", help="slug (optional when there is only one document)")
        parser.add_argument(
            "--for", dest="member", required=True, metavar="MEMBER",
            help="the member the file is exported for (username or email address): an active member on the "
                 "document; the file and the audit name them",
        )
        parser.add_argument("--format", choices=FORMATS, default="markdown",
                            help="markdown (default), docx (a comparison with tracked changes), csv or xlsx (the "
                                 "disposition table as the member may read it)")
        parser.add_argument("--output", "-o", help="file to write (default: standard output, Markdown and CSV only)")
        parser.add_argument(
            "--as-of",
            help="read as on the Versions page: a date and time in TIME_ZONE (2026-03-01T12:00 or "
                 '"2026-03-01 12:00", an offset may follow), a date alone for the end of that day, a milestone '
                 '(m3) or "now"; for docx, the newer of the two versions',
        )
        parser.add_argument("--since", help="docx: the older version, read as --as-of is (default: the first milestone)")

    def handle(self, *args, **options):
        document = _document(options["document"])
        member = _member(options["member"], document)
        format = options["format"]
        if format in ("csv", "xlsx") and (options["as_of"] is not None or options["since"] is not None):
            raise CommandError(_("the disposition table shows the amendments as they stand now: leave out "
                                 "--as-of and --since"))
        if format == "markdown" and options["since"] is not None:
            raise CommandError(_("--since is for a comparison (--format docx); a Markdown file is one version"))
        if format in ("docx", "xlsx") and not options["output"]:
            raise CommandError(_("a %(format)s file is binary: name the file to write with -o FILE")
                               % {"format": format.upper()})
        try:
            content = self._content(format, member, document, options)
        except PointError as error:
            raise CommandError(f"{'--since or --as-of' if format == 'docx' else '--as-of'}: {error}") from error
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
        else:
            sys.stdout.write(content.decode("utf-8"))

    def _content(self, format, member, document, options):
        # The Versions pages' own reading of a point, so a date means the same here as on the web.
        as_of = NOW if options["as_of"] is None else options["as_of"]
        if format == "markdown":
            return traced.markdown(member, document, read_version(document, resolve_point(document, as_of)))
        if format == "docx":
            first = document.milestones.order_by("moment", "pk").first()
            since = options["since"] if options["since"] is not None else (first.point if first else NOW)
            comparison = compare_versions_at(document, *resolve_points(document, since, as_of))
            return traced.word_comparison(member, document, comparison)
        if format == "csv":
            return traced.disposition_csv(member, document)
        return traced.disposition_xlsx(member, document)


def _document(slug):
    documents = Document.objects.all()
    if slug:
        documents = documents.filter(slug=slug)
    if documents.count() != 1:
        slugs = ", ".join(Document.objects.values_list("slug", flat=True)) or "none"
        raise CommandError(_("name one document by its slug (documents: %(slugs)s)") % {"slugs": slugs})
    return documents.get()


def _member(name, document):
    """The member named by username or email address, refused unless active and on the document: an export
    for someone who may not read the document would hand them what need-to-know keeps from them."""
    name = name.strip()
    found = list(Member.objects.select_related("user").filter(
        Q(user__username=name) | Q(user__username=name.lower()) | Q(user__email__iexact=name))[:2])
    if len(found) != 1:
        message = (_("--for: no member is called “%(name)s” (give a member's username or email address)") if not found
                   else _("--for: “%(name)s” names more than one member; give the username"))
        raise CommandError(message % {"name": name})
    member = found[0]
    if not member.is_active:
        raise CommandError(_("--for: %(member)s is a former member (deactivated): nothing is exported for them")
                           % {"member": member.full_name})
    if not member.can_read(document):
        raise CommandError(_("--for: %(member)s is not on “%(document)s”: put them on the document (its Access "
                             "page) before exporting it for them") % {"member": member.full_name, "document": document})
    return member
