"""Two files, one bilingual document (issue 13): the authoritative text and its translation, imported from a file
each, paired clause by clause; a clause in one file and not the other is named, and then nothing is written."""
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from drafting.importer import ImportRefused, import_document
from drafting.markdown_format import FormatError, parse
from drafting.models import Clause, Document

from . import test_commands
from .builders import generated_markdown, without_trace

pytestmark = pytest.mark.django_db

AZ_FILE = """# Milli Təhlükəsizlik Konsepsiyası

language: az

## Giriş

Azərbaycan Respublikası müstəqilliyini bərpa etdikdən sonra.

## 1. Təhlükəsizlik mühiti

### 1.1. Qlobal mühit

Dünyada gedən proseslər.

## Yekun müddəalar

Konsepsiya hər beş ildən bir yenidən baxılır.
"""

EN_FILE = """# National Security Concept

## Introduction

After the Republic of Azerbaijan restored its independence.

## 1. Security environment

### 1.1. The global environment

Processes in the world.

## Final provisions

The Concept is reviewed every five years.
"""


operator_for = test_commands.operator_for  # the member the export command is run for


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def import_pair(tmp_path, main=AZ_FILE, translation=EN_FILE, *more):
    call_command("import_document", write(tmp_path, "az.md", main), "--translation",
                 write(tmp_path, "en.md", translation), "--slug", "konsepsiya", *more)
    return Document.objects.get(slug="konsepsiya")


def clauses(document):
    return [entry.clause for entry in document.outline()]


def test_two_files_import_as_one_bilingual_document_aligned_by_clause_number(tmp_path):
    document = import_pair(tmp_path)
    assert (document.authoritative_language, document.translation_language) == ("az", "en")
    assert document.title == "Milli Təhlükəsizlik Konsepsiyası"  # the authoritative file's title
    introduction, section, sub, final = clauses(document)
    assert (section.number, section.heading_az, section.heading) == ("1", "Təhlükəsizlik mühiti", "Security environment")
    assert (sub.number, sub.body_az, sub.body) == ("1.1", "Dünyada gedən proseslər.", "Processes in the world.")
    assert (introduction.heading_az, introduction.heading) == ("Giriş", "Introduction")
    assert (final.heading_az, final.body) == ("Yekun müddəalar", "The Concept is reviewed every five years.")


def test_the_imported_pair_exports_as_one_bilingual_file_that_imports_back_identical(tmp_path, operator_for):
    import_pair(tmp_path)
    out = tmp_path / "both.md"
    call_command("export_document", "konsepsiya", "--for", operator_for, "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "language: az\ntranslation: en\n" in text
    assert "## 1. Təhlükəsizlik mühiti\nen: Security environment\n" in text
    assert "\n\nen: Processes in the world.\n" in text
    call_command("import_document", str(out), "--slug", "again")
    again = tmp_path / "again.md"
    call_command("export_document", "again", "--for", operator_for, "-o", str(again))
    assert without_trace(again.read_bytes()) == without_trace(out.read_bytes())


def test_every_clause_in_one_file_and_not_the_other_is_named_and_nothing_is_written(tmp_path):
    translation = EN_FILE.replace("### 1.1. The global environment\n\nProcesses in the world.\n",
                                  "### 1.1. The global environment\n\n### 1.2. The region\n\n## 2. Interests\n")
    main = AZ_FILE.replace("## Yekun müddəalar\n\nKonsepsiya hər beş ildən bir yenidən baxılır.\n", "")
    with pytest.raises(CommandError) as refused:
        import_pair(tmp_path, main, translation)
    message = str(refused.value)
    assert "nothing was imported" in message
    assert "clause 1.2 (line 11 of en.md) is not in az.md" in message
    assert "clause 2 (line 13 of en.md) is not in az.md" in message
    assert "the unnumbered part “Final provisions” (line 15 of en.md) is not in az.md" in message
    assert not Document.objects.filter(slug="konsepsiya").exists() and not Clause.objects.exists()


def test_unnumbered_parts_pair_by_their_order_among_the_unnumbered_parts_under_one_parent(tmp_path):
    main = AZ_FILE.replace("## Yekun müddəalar", "## Əlavə\n\n## Yekun müddəalar")
    translation = EN_FILE.replace("## Final provisions", "## Annex\n\n## Final provisions")
    document = import_pair(tmp_path, main, translation)
    annex, final = clauses(document)[-2:]
    assert (annex.heading_az, annex.heading) == ("Əlavə", "Annex")
    assert (final.heading_az, final.heading) == ("Yekun müddəalar", "Final provisions")


def test_two_files_in_the_same_language_are_refused_with_the_line_to_add(tmp_path):
    with pytest.raises(CommandError, match="both in English: declare the translation's language on a line "
                                           "“language: az”"):
        import_pair(tmp_path, EN_FILE, EN_FILE)
    assert not Document.objects.exists()


def test_two_files_giving_different_text_for_one_clause_in_one_language_are_refused(tmp_path):
    # The English file carries an Azerbaijani heading that contradicts the Azerbaijani file's.
    translation = EN_FILE.replace("## 1. Security environment\n", "## 1. Security environment\naz: Başqa başlıq\n")
    with pytest.raises(CommandError, match="clause 1 .*different Azerbaijani headings"):
        import_pair(tmp_path, AZ_FILE, translation)
    same = EN_FILE.replace("## 1. Security environment\n", "## 1. Security environment\naz: Təhlükəsizlik mühiti\n")
    assert clauses(import_pair(tmp_path, AZ_FILE, same))[1].heading_az == "Təhlükəsizlik mühiti"


def test_a_file_in_the_translation_language_alone_updates_only_the_translation(tmp_path, drafter):
    document = import_pair(tmp_path)
    before = {c.pk: (c.heading_az, c.body_az) for c in clauses(document)}
    rows = Clause.history.count()
    revised = EN_FILE.replace("Processes in the world.", "Processes in the world and the region.")
    call_command("import_document", write(tmp_path, "en2.md", revised), "--document", "konsepsiya",
                 "--user", drafter.user.username)
    document.refresh_from_db()
    assert document.title == "Milli Təhlükəsizlik Konsepsiyası"  # not the English file's title
    assert {c.pk: (c.heading_az, c.body_az) for c in clauses(document)} == before
    sub = Clause.objects.get(document=document, number="1.1")
    assert sub.body == "Processes in the world and the region."
    # one attributed version, of the one clause that changed
    assert Clause.history.count() == rows + 1
    latest = sub.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (drafter.user, "imported from en2.md")


def test_a_translation_file_cannot_add_or_remove_clauses(tmp_path):
    document = import_pair(tmp_path)
    rows = Clause.history.count()
    fewer = EN_FILE.replace("### 1.1. The global environment\n\nProcesses in the world.\n", "### 1.1.\n\n### 1.2. New\n")
    with pytest.raises(CommandError, match="clause 1.2 .*is not in"):
        call_command("import_document", write(tmp_path, "en2.md", fewer), "--document", "konsepsiya")
    assert Clause.history.count() == rows and len(clauses(document)) == 4


def test_a_new_bilingual_version_writes_one_attributed_version_per_changed_clause(tmp_path, drafter):
    import_pair(tmp_path)
    rows = Clause.history.count()
    main = AZ_FILE.replace("Dünyada gedən proseslər.", "Dünyada və regionda gedən proseslər.")
    translation = EN_FILE.replace("Final provisions\n\nThe Concept", "Final provisions\n\nThis Concept")
    call_command("import_document", write(tmp_path, "az2.md", main), "--translation",
                 write(tmp_path, "en2.md", translation), "--document", "konsepsiya", "--user", drafter.user.username)
    changed = Clause.history.order_by("-history_id")[:2]
    assert Clause.history.count() == rows + 2
    assert {row.number or row.heading_az for row in changed} == {"1.1", "Yekun müddəalar"}
    assert {(row.history_user, row.history_change_reason) for row in changed} == {(drafter.user, "imported from az2.md")}
    assert {row.history_date for row in changed}.__len__() == 1  # one moment


def test_a_file_in_a_language_the_document_is_not_kept_in_is_refused(tmp_path):
    call_command("import_document", write(tmp_path, "en.md", EN_FILE), "--slug", "english")
    with pytest.raises(CommandError, match="the file is in Azerbaijani; .* is kept in English"):
        call_command("import_document", write(tmp_path, "az.md", AZ_FILE), "--document", "english")


def test_unicode_digits_in_a_clause_number_are_refused_naming_the_line(tmp_path):
    translation = EN_FILE.replace("## 1. Security", "## ١. Security")
    with pytest.raises(CommandError, match=r"en.md: line 7: clause number \"١.\" does not follow its place"):
        import_pair(tmp_path, AZ_FILE, translation)
    assert not Document.objects.exists()


@pytest.mark.parametrize("odd", ["\x00", "\ufeff\x00"])
def test_a_translation_file_with_nul_bytes_is_refused_naming_the_file(tmp_path, odd):
    with pytest.raises(CommandError, match="en.md: file contains NUL bytes"):
        import_pair(tmp_path, AZ_FILE, EN_FILE.replace("Processes", odd + "Processes"))
    assert not Document.objects.exists()


def test_control_characters_in_a_translation_file_are_kept_as_text_as_in_the_main_file(tmp_path):
    document = import_pair(tmp_path, AZ_FILE, EN_FILE.replace("Processes in", "Processes\x0bin"))
    assert Clause.objects.get(document=document, number="1.1").body == "Processes\x0bin the world."


def test_a_large_pair_within_the_limits_aligns_clause_by_clause(tmp_path):
    english = "\n".join(line for line in generated_markdown(600).split("\n") if not line.startswith("az:"))
    azerbaijani = "# Böyük sənəd\n\nlanguage: az\n\n" + (
        english.split("\n\n", 2)[2].replace("Clause", "Maddə").replace("Section", "Bölmə"))
    parsed = import_document(parse(azerbaijani), translation=parse(english), slug="big")[0]
    rows = list(parsed.clauses.all())
    assert len(rows) == 600
    assert all(row.heading_az.startswith(("Maddə", "Bölmə")) and row.heading.startswith(("Clause", "Section"))
               for row in rows)


def test_the_importer_function_refuses_mismatched_structures_with_every_problem():
    main = parse("# A\n\nlanguage: az\n\n## 1. Bir\n\n### 1.1. İki\n")
    translation = parse("# A\n\n## 1. One\n\n## 2. Two\n")
    with pytest.raises(ImportRefused) as refused:
        import_document(main, translation=translation, slug="a")
    assert len(refused.value.problems) == 2
    with pytest.raises(FormatError):
        parse("# A\n\n## 1. One\naz:Bir\n\naz:x\n")


def test_a_translation_file_over_the_size_limit_is_refused_naming_it(tmp_path):
    from drafting.markdown_format import MAX_BYTES

    huge = EN_FILE + "\n" + ("ə" * (MAX_BYTES // 2 + 1)) + "\n"
    with pytest.raises(CommandError, match="en.md: file is larger than 5 MB"):
        import_pair(tmp_path, AZ_FILE, huge)
    assert not Document.objects.exists()



def test_a_new_version_may_declare_the_translation_of_a_document_that_had_none(tmp_path, drafter):
    call_command("import_document", write(tmp_path, "az.md", AZ_FILE), "--slug", "konsepsiya")
    document = Document.objects.get(slug="konsepsiya")
    assert (document.authoritative_language, document.translation_language) == ("az", "")
    declared = AZ_FILE.replace("language: az\n", "language: az\ntranslation: en\n")
    call_command("import_document", write(tmp_path, "declared.md", declared), "--document", "konsepsiya",
                 "--user", drafter.user.username)
    document.refresh_from_db()
    assert document.translation_language == "en"
    assert document.history.latest().history_user == drafter.user  # attributed, like every change
