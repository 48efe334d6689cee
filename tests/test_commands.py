"""Operator commands: load_seeds, import_document, export_document, demo_logins."""
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from drafting.models import Clause, Document, Member

from .builders import make_member, without_trace

SEED = Path(settings.BASE_DIR) / "seeds" / "concept_2007.md"


@pytest.mark.django_db
def test_load_seeds_twice_changes_nothing(capsys):
    call_command("load_seeds")
    counts = (Document.objects.count(), Clause.objects.count(), Member.objects.count(),
              Clause.history.count(), Member.history.count(), Document.history.count())
    call_command("load_seeds")
    assert (Document.objects.count(), Clause.objects.count(), Member.objects.count(),
            Clause.history.count(), Member.history.count(), Document.history.count()) == counts
    assert "already loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_load_seeds_loads_the_concept_and_the_demo_members():
    call_command("load_seeds")
    concept = Document.objects.get(slug="concept")
    assert concept.clauses.count() == 9
    assert set(Member.objects.values_list("role", flat=True)) == {"drafter", "reviewer", "admin"}
    assert Member.objects.filter(agency="Presidential Security Service").exists()
    reasons = {v.history_change_reason for v in Clause.history.filter(document_id=concept.pk)}
    assert reasons == {"imported", "amendment A-1"}


@pytest.mark.django_db
@pytest.mark.need_to_know
def test_demo_seeds_put_the_concepts_members_on_it_and_one_drafter_off_the_demo_document(client):
    from drafting.models import DocumentAccess
    from drafting.seeds import DEMO_ACCESS_SLUG, LEFT_OFF_DEMO_DOCUMENT

    call_command("load_seeds")
    concept, demo = Document.objects.get(slug="concept"), Document.objects.get(slug=DEMO_ACCESS_SLUG)
    on_concept = dict(DocumentAccess.objects.filter(document=concept).values_list("member__user__username", "role"))
    assert on_concept == {m.user.username: m.role for m in Member.objects.exclude(role="admin")}
    on_demo = set(DocumentAccess.objects.filter(document=demo).values_list("member__user__username", flat=True))
    assert on_demo == set(on_concept) - {LEFT_OFF_DEMO_DOCUMENT}
    assert demo.title.startswith("[Demo]") and all("placeholder" in c.body for c in demo.clauses.all())
    client.force_login(Member.objects.get(user__username=LEFT_OFF_DEMO_DOCUMENT).user)
    assert "[Demo] Access example" not in client.get("/").text
    assert client.get(demo.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_seeds_tell_the_story_in_different_states():
    from drafting.models import Amendment

    call_command("load_seeds")
    states = dict(Amendment.objects.values_list("number", "state"))
    assert states == {1: "applied", 2: "submitted", 3: "changes_requested", 4: "rejected"}
    clause = Clause.objects.get(number="4.1.1")
    assert "OSCE Minsk Group to eliminate" not in clause.body
    assert all("[Demo]" in a.rationale for a in Amendment.objects.all())


@pytest.fixture
def operator_for(db):
    """The member the operator exports for (on every document, as every member of these tests)."""
    return make_member("export_reader", Member.Role.DRAFTER, full_name="Leyla Məmmədova").user.username


@pytest.mark.django_db
def test_import_then_export_command_round_trip(tmp_path, operator_for):
    source = re.sub(r"<!--.*?-->\n", "", SEED.read_text(encoding="utf-8"), flags=re.S)
    path = tmp_path / "concept.md"
    path.write_text(source, encoding="utf-8")
    call_command("import_document", str(path), "--slug", "c2")
    out = tmp_path / "out.md"
    call_command("export_document", "c2", "--for", operator_for, "-o", str(out))
    assert without_trace(out.read_bytes()) == path.read_bytes()


@pytest.mark.django_db
def test_import_command_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("# T\n\n## 1. A\n\n## 5. E\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 5"):
        call_command("import_document", str(path))
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_importing_a_file_twice_without_document_says_the_slug_exists_and_suggests_document(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("# A Policy\n\n## 1. One\n\nText.\n", encoding="utf-8")
    call_command("import_document", str(path))
    with pytest.raises(CommandError, match='slug "a-policy" exists.*--document a-policy'):
        call_command("import_document", str(path))
    with pytest.raises(CommandError, match='slug "a-policy" exists.*--document a-policy'):
        call_command("import_document", str(path), "--slug", "a-policy")
    assert Document.objects.count() == 1 and Clause.objects.count() == 1


@pytest.mark.django_db
def test_import_command_refuses_a_slug_it_cannot_use(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("# ★ ☆\n\n## 1. One\n", encoding="utf-8")  # no letter or digit to make a slug of
    with pytest.raises(CommandError, match="no slug can be made from the title; give one with --slug"):
        call_command("import_document", str(path))
    with pytest.raises(CommandError, match="is not a slug"):
        call_command("import_document", str(path), "--slug", "two words")
    with pytest.raises(CommandError, match="longer than 100"):
        call_command("import_document", str(path), "--slug", "x" * 101)
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_import_command_accepts_a_utf8_byte_order_mark(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes("# Konsepsiya\n\n## 1. Giriş\n\nMətn.\n".encode("utf-8-sig"))
    call_command("import_document", str(path))
    document = Document.objects.get(slug="konsepsiya")
    assert document.title == "Konsepsiya" and document.clauses.get().body == "Mətn."


@pytest.mark.django_db
def test_import_command_new_version_records_history(tmp_path):
    call_command("load_seeds")
    source = SEED.read_text(encoding="utf-8")
    path = tmp_path / "v2.md"
    path.write_text(source.replace("az: Yekun müddəalar", "az: Yekun müddəalar\n\nFinal text."), encoding="utf-8")
    call_command("import_document", str(path), "--document", "concept", "--reason", "official text")
    final = Clause.objects.get(heading="Final provisions")
    assert final.body == "Final text."
    assert final.versions().first().history_change_reason == "official text"


@pytest.mark.django_db
def test_export_as_of_before_a_change(tmp_path, operator_for):
    from django.utils import timezone

    call_command("load_seeds")
    moment = timezone.now()
    clause = Clause.objects.get(number="4.1.1")
    clause.body = "Changed."
    clause.save()
    out = tmp_path / "then.md"
    call_command("export_document", "concept", "--for", operator_for, "-o", str(out), "--as-of", moment.isoformat())
    assert "The territory of the Republic of Azerbaijan is unified" in out.read_text(encoding="utf-8")


def _dated_document():
    """A one-clause document imported on 28 February 2026 and changed on the evening of 1 March (Baku time)
    and again half an hour after that day ended."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from drafting.importer import import_document
    from drafting.markdown_format import parse
    from drafting.models.history import attribute

    baku = ZoneInfo("Asia/Baku")
    document, _ = import_document(parse("# Dated\n\n## 1. One\n\nOriginal.\n"), slug="dated")
    imported = datetime(2026, 2, 28, 12, 0, tzinfo=baku)
    Document.history.update(history_date=imported)
    Clause.history.update(history_date=imported)
    document.milestones.update(moment=imported)
    clause = document.clauses.get()
    for body, moment in (("Changed in the evening.", datetime(2026, 3, 1, 22, 30, tzinfo=baku)),
                         ("Changed after midnight.", datetime(2026, 3, 2, 0, 30, tzinfo=baku))):
        clause.body = body
        attribute(clause, reason="edit", date=moment)
        clause.save()
    return document


@pytest.mark.django_db
def test_export_as_of_a_date_alone_means_the_end_of_that_day_in_the_time_zone(settings, capsys, operator_for):
    settings.TIME_ZONE = "Asia/Baku"
    _dated_document()
    call_command("export_document", "dated", "--for", operator_for, "--as-of", "2026-03-01")
    text = capsys.readouterr().out
    assert "Changed in the evening." in text  # 22:30 in Baku, before the day ended there
    call_command("export_document", "dated", "--for", operator_for, "--as-of", "2026-03-01T22:00")
    assert "Original." in capsys.readouterr().out
    call_command("export_document", "dated", "--for", operator_for, "--as-of", "2026-03-01T18:45+00:00")  # 22:45 in Baku
    assert "Changed in the evening." in capsys.readouterr().out


@pytest.mark.django_db
def test_export_command_and_versions_page_read_a_moment_the_same_way(settings, client, drafter, tmp_path,
                                                                      operator_for):
    from django.urls import reverse

    from .conftest import login

    settings.TIME_ZONE = "Asia/Baku"
    document = _dated_document()
    login(client, drafter)
    for raw in ("2026-03-01", "2026-03-01 23:00", "2026-03-02T00:45", f"m{document.milestones.get().pk}", "now"):
        out = tmp_path / "export.md"
        call_command("export_document", "dated", "--for", operator_for, "-o", str(out), "--as-of", raw)
        web = client.get(reverse("versions_markdown", args=["dated"]), {"at": raw})
        assert web.status_code == 200
        assert web.content.startswith(b"<!-- Exported for ")  # both are traced (test_exports_trace.py)
        assert without_trace(out.read_bytes()) == without_trace(web.content), raw


@pytest.mark.django_db
def test_export_as_of_that_cannot_be_read_is_a_clear_error(tmp_path, operator_for):
    _dated_document()
    for raw, message in (("yesterday", "is not a date and time I can read"), ("2999-01-01", "in the future"),
                         ("2026-01-01", "did not exist yet"), ("m999", "no milestone"), ("", "Choose a milestone")):
        with pytest.raises(CommandError, match=message):
            call_command("export_document", "dated", "--for", operator_for, "--as-of", raw)


@pytest.mark.django_db
def test_demo_logins_prints_each_account(capsys):
    call_command("demo_logins")
    out = capsys.readouterr().out
    for username in ("admin", "reviewer", "drafter"):
        assert re.search(rf"^\s+{username}\s", out, re.M)


@pytest.mark.django_db
def test_demo_logins_name_the_address_the_app_is_served_on(capsys):
    call_command("demo_logins")
    assert "open http://127.0.0.1:8000/" in capsys.readouterr().out
    call_command("demo_logins", "--address", "127.0.0.1:8011")  # `PORT=8011 make run`
    assert "open http://127.0.0.1:8011/" in capsys.readouterr().out


def test_make_run_and_make_dev_print_the_address_they_serve_on(settings):
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert makefile.count("manage.py demo_logins --address $(HOST):$(PORT)") == 2


@pytest.mark.django_db
def test_demo_logins_print_a_working_code_for_accounts_that_must_give_one(capsys, client):
    from drafting.seeds import load_all

    load_all()
    call_command("demo_logins")
    out = capsys.readouterr().out
    codes = dict(re.findall(r"^\s+(\w+)\s+[A-Z2-7]{32}\s+(\d{6})$", out, re.M))
    assert set(codes) == {"admin", "reviewer", "scis"}  # the admin and the reviewers; drafters need no code
    seeded = json.loads((Path(settings.BASE_DIR) / "seeds" / "members.json").read_text(encoding="utf-8"))
    password = next(row["password"] for row in seeded["members"] if row["username"] == "reviewer")
    assert client.post(reverse("login"), {"username": "reviewer", "password": password}).status_code == 302
    assert client.post(reverse("two_factor_verify"), {"code": codes["reviewer"]}).status_code == 302
    assert client.get(reverse("document_list")).status_code == 200


@pytest.mark.django_db
def test_a_document_never_takes_a_slug_that_names_a_page_of_its_own(tmp_path):
    """/d/import/ is the Word import's page: a document titled "Import" is given another slug, and the command
    refuses --slug import with a message."""
    path = tmp_path / "import.md"
    path.write_text("# Import\n\n## 1. One\n", encoding="utf-8")
    with pytest.raises(CommandError, match="names a page of its own"):
        call_command("import_document", str(path), "--slug", "import")
    call_command("import_document", str(path))
    assert Document.objects.get().slug == "import-document"
