"""The Markdown format: import followed by export gives the file back, and malformed files name the line."""
import re
from pathlib import Path

import pytest
from django.conf import settings

from drafting.importer import import_document
from drafting.markdown_format import FormatError, parse, render

from .builders import generated_markdown

SEED = Path(settings.BASE_DIR) / "seeds" / "concept_2007.md"


def export(document):
    return render(document, document.clauses.all())


def without_comments(text):
    return re.sub(r"<!--.*?-->\n", "", text, flags=re.S)


@pytest.mark.django_db
def test_seed_round_trips_byte_for_byte():
    source = without_comments(SEED.read_text(encoding="utf-8"))
    document, _ = import_document(parse(source), slug="seed")
    assert export(document).encode("utf-8") == source.encode("utf-8")


@pytest.mark.django_db
def test_generated_500_clause_file_round_trips_byte_for_byte():
    source = generated_markdown(500)
    document, counts = import_document(parse(source), slug="big")
    assert counts["created"] == 500
    assert export(document).encode("utf-8") == source.encode("utf-8")


def test_seed_structure_is_read_as_the_concept_outline():
    parsed = parse(SEED.read_text(encoding="utf-8"))
    assert parsed.title == "National Security Concept of the Republic of Azerbaijan"
    assert parsed.adopted == "2007"
    labels = [(c.number, c.heading) for c in parsed.walk()]
    assert labels[0] == ("", "Introduction")
    assert ("3.1", parsed.clauses[3].children[0].heading) in labels
    assert ("4.1", "") in labels
    clause_411 = next(c for c in parsed.walk() if c.number == "4.1.1")
    assert clause_411.body.startswith("The territory of the Republic of Azerbaijan is unified")
    assert parsed.clauses[0].heading_az == "Giriş"


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("", 1, "document title"),
        ("## 1. No title\n", 1, "document title"),
        ("# T\n\n#### 1. Too deep\n", 3, "skips a level"),
        ("# T\n\n## 1. One\n\n## 3. Three\n", 5, 'expected "2."'),
        ("# T\n\n## 1. One\n\n# Second title\n", 5, "second document title"),
        ("# T\n\n##NoSpace\n", 3, 'needs "## "'),
        ("# T\n\n## 1. A\naz: Bir\naz: Iki\n", 5, '"az:" line'),
        ("# T\n\n## 1. A\n\nText.\naz: Mətn\nEnglish again.\n", 7, 'starts with "az:"'),
        ("# T\n\n## 1. A\n\naz:Mətn\n", 5, 'then a space'),
        ("# T\n\nlanguage: az\n\n## 1. Bir\n\nen: Text.\nMətn yenə.\n", 8, 'starts with "en:"'),
        ("# T\n\nlanguage: az\ntranslation: az\n\n## 1. Bir\n", 4, "file's own language"),
        ("# T\n\n<!-- never closed\n## 1. A\n", 3, "never closed"),
        ("# T\n\n## 1. A\n\n### 1.2. Wrong\n", 5, 'expected "1.1."'),
    ],
)
def test_malformed_file_is_rejected_naming_the_line(text, line, fragment):
    with pytest.raises(FormatError) as caught:
        parse(text)
    assert caught.value.line == line
    assert fragment in str(caught.value)
