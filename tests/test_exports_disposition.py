"""The disposition table: one row per amendment, in CSV and XLSX, user text never run as a formula."""
import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from drafting.exports.disposition import COLUMNS
from drafting.models import Review

from .amendment_builders import modify, remove
from .conftest import english_only, login
from .version_builders import apply_demo_amendments


def csv_rows(client, concept):
    response = client.get(reverse("disposition_csv", args=[concept.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode("utf-8"))  # spreadsheets then read Azerbaijani letters
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1].startswith("Exported for ")  # the trace row (tests/test_exports_trace.py)
    return rows[1:]


def test_every_amendment_is_one_row_with_its_reviews_and_resulting_text(
    client, concept, drafter, second_drafter, reviewer, second_reviewer
):
    english_only(concept)  # one proposed and one resulting text per row (both languages: test_versions_languages)
    a1, a2, a3 = apply_demo_amendments(concept, drafter, second_drafter, reviewer)
    pending = modify(second_drafter, concept.clauses.get(number="1"), body="Proposed text.", submit=True)
    pending.cosponsors.add(drafter)
    pending.review(second_reviewer, Review.Decision.REQUEST_CHANGES, note="Too short.")
    login(client, drafter)
    rows = csv_rows(client, concept)
    assert rows[0] == COLUMNS
    assert [row[0] for row in rows[1:]] == ["A-1", "A-2", "A-3", "A-4"]
    by_label = {row[0]: dict(zip(COLUMNS, row)) for row in rows[1:]}
    first = by_label["A-1"]
    assert first["Kind"] == "Modify" and first["Clause"].startswith("4.2.1 The restoration")
    assert first["Author"] == "Dinara Əliyeva" and first["State"] == "Applied"
    assert first["Reviewers and decisions"] == "Rauf Həsənov: Approve (round 1)"
    assert first["Resulting text"].startswith("The restoration of the territorial integrity")
    assert "Minsk Group" not in first["Resulting text"]
    assert by_label["A-2"]["Clause"] == "3.2 Threats arising from artificial intelligence"
    fourth = by_label["A-4"]
    assert fourth["Co-sponsors"] == "Dinara Əliyeva" and fourth["State"] == "Changes requested"
    assert fourth["Reviewers and decisions"] == "Leyla Məmmədova: Request changes (round 1)"
    assert fourth["Resulting text"] == ""


def test_xlsx_holds_the_same_rows(client, concept, drafter, second_drafter, reviewer):
    apply_demo_amendments(concept, drafter, second_drafter, reviewer)
    login(client, drafter)
    response = client.get(reverse("disposition_xlsx", args=[concept.slug]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0].startswith("Exported for ")
    assert values[1:] == csv_rows(client, concept)


def test_text_that_looks_like_a_formula_stays_text(client, concept, drafter, reviewer):
    amendment = remove(drafter, concept.clauses.get(number="3.1"), rationale='=HYPERLINK("http://evil","x")')
    amendment.submit(drafter)
    login(client, drafter)
    assert csv_rows(client, concept)[1][7] == "'=HYPERLINK(\"http://evil\",\"x\")"
    response = client.get(reverse("disposition_xlsx", args=[concept.slug]))
    cell = load_workbook(io.BytesIO(response.content)).active["H3"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil","x")'


def test_removal_says_the_clause_was_removed(client, concept, drafter, reviewer):
    from .version_builders import approve

    approve(remove(drafter, concept.clauses.get(number="3.1"), submit=True), reviewer)
    login(client, drafter)
    row = csv_rows(client, concept)[1]
    assert row[1] == "Remove" and row[-1] == "(clause removed)"
