"""The Azerbaijani catalog is complete (issue 13, point 5): `makemessages` run into a copy of the locale folder
finds no message the committed catalog lacks; no message is untranslated or fuzzy; the committed .mo is the
compiled .po; every translation keeps its placeholders; and `make messages` gives the same file twice."""
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

CATALOG = Path(settings.BASE_DIR) / "locale" / "az" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{(\w*)\}")

pytestmark = pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (apt-get install gettext)")


def key(entry):
    return (entry.msgctxt, entry.msgid)


def committed():
    return polib.pofile(str(CATALOG / "django.po"))


# What makemessages reads (and the locale folder it writes): copied, because it puts a project's messages in the
# locale folder that sits beside the files it walks, so run in place it would write into the committed catalog.
SOURCES = ("config", "drafting", "templates", "locale")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """The catalog as `make messages` would write it from today's sources, made in a copy of the project."""
    copy = tmp_path_factory.mktemp("project")
    for folder in SOURCES:
        shutil.copytree(Path(settings.BASE_DIR) / folder, copy / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    before = (CATALOG / "django.po").read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        patch.setattr(settings, "LOCALE_PATHS", [copy / "locale"])
        call_command("makemessages", locale=["az"], no_location=True, no_obsolete=True, verbosity=0)
    assert (CATALOG / "django.po").read_bytes() == before, "the test must not write into the committed catalog"
    return copy / "locale" / "az" / "LC_MESSAGES" / "django.po"


def test_every_message_of_the_sources_is_in_the_committed_catalog(regenerated):
    found = {key(entry) for entry in polib.pofile(str(regenerated))}
    kept = {key(entry) for entry in committed()}
    assert not found - kept, f"run `make messages` and translate: {sorted(found - kept, key=str)[:20]}"
    assert not kept - found, f"messages no source uses any more (run `make messages`): {sorted(kept - found, key=str)[:20]}"


def test_make_messages_changes_nothing_in_the_committed_catalog(regenerated):
    # Sorted, no fuzzy guesses, the creation date kept: the same sources give the same file.
    assert regenerated.read_text(encoding="utf-8") == (CATALOG / "django.po").read_text(encoding="utf-8")


def test_no_message_is_left_untranslated():
    empty = [entry.msgid for entry in committed() if not entry.obsolete and not entry.translated()]
    assert not empty, f"{len(empty)} untranslated, e.g. {empty[:10]}"


def test_no_plural_form_is_left_empty():
    empty = [entry.msgid for entry in committed() if entry.msgid_plural and not all(entry.msgstr_plural.values())]
    assert not empty


def test_no_entry_is_fuzzy():
    fuzzy = [entry.msgid for entry in committed() if "fuzzy" in entry.flags]
    assert not fuzzy, f"fuzzy entries read as translations until someone checks them: {fuzzy[:10]}"


def test_the_committed_mo_is_the_compiled_po(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(CATALOG / "django.po")], check=True)
    assert compiled.read_bytes() == (CATALOG / "django.mo").read_bytes(), "run `make messages` and commit the .mo"


def placeholders(text):
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def test_every_translation_keeps_its_placeholders():
    wrong = []
    for entry in committed():
        if entry.msgid_plural:
            # A plural's singular may leave out the number ("one clause"); together they name each placeholder.
            wanted = set(placeholders(entry.msgid) + placeholders(entry.msgid_plural))
            for form in entry.msgstr_plural.values():
                if not set(placeholders(form)) <= wanted or not set(placeholders(entry.msgid_plural)) - {
                        "%(count)d", "%(counter)s"} <= set(placeholders(form)) | {"%(count)d", "%(counter)s"}:
                    wrong.append((entry.msgid, form))
        elif placeholders(entry.msgid) != placeholders(entry.msgstr):
            wrong.append((entry.msgid, entry.msgstr))
    assert not wrong, wrong[:10]


def test_the_placeholder_check_notices_a_lost_placeholder():
    assert placeholders("Page %(number)s of %(count)s") != placeholders("Səhifə %(number)s")
    assert placeholders("{name} saved") != placeholders("yadda saxlanıldı")


def test_every_template_string_is_marked_for_translation():
    """Text outside template tags, variables and comments would reach the page (or the email) untranslated."""
    leftovers = {}
    folder = Path(settings.BASE_DIR) / "templates"
    for template in sorted([*folder.rglob("*.html"), *folder.rglob("*.txt")]):
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"{%\s*blocktranslate.*?endblocktranslate\s*%}|{#.*?#}|{%.*?%}|{{.*?}}", "", text, flags=re.S)
        attributes = re.findall(r'(?:title|aria-label|placeholder|alt|hx-confirm|data-label)="([^"]*[A-Za-z][^"]*)"', text)
        words = [line.strip() for line in re.sub(r"<[^>]*>", "\n", text).splitlines() if re.search(r"[A-Za-z]{2,}", line)]
        # The product's name, the format names and CSS class words are not sentences to translate.
        words = [w for w in words if not re.fullmatch(r"[\[\]·\s]*(Drafting|CSV|PDF|wide)[\[\]·\s]*(Drafting)?[\s]*", w)]
        if words or attributes:
            leftovers[str(template.relative_to(settings.BASE_DIR))] = words + attributes
    assert not leftovers, leftovers
