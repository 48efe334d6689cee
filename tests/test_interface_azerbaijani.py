"""The interface in Azerbaijani (issue 13, point 5): every message built in Python reads in the member's language,
emails in their recipient's language, exports in the language of the member who exports, and the catalog is
complete. The deployment's default language here is Azerbaijani (`LANGUAGE_CODE = "az"`), as for the Concept's
working group; a member who chose English gets English."""
import io
import re
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from docx import Document as WordFile
from openpyxl import load_workbook

from drafting import password_links
from drafting.fragments import cached_fragment
from drafting.models import Amendment, Member, Review, TransitionError
from drafting.models.history import describe_reason
from drafting.redline import BY_SENTENCE, EQUAL, Piece, Redline

from .amendment_builders import modify
from .conftest import english_only, login

pytestmark = pytest.mark.azerbaijani

CATALOG = Path(django_settings.BASE_DIR) / "locale" / "az" / "LC_MESSAGES"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def azerbaijani_deployment(settings):
    """A deployment whose default language is Azerbaijani, emails kept in memory."""
    settings.LANGUAGE_CODE = "az"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with translation.override("az"):
        yield


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def speaks(member, language):
    member.language = language
    member.save(update_fields=["language"])
    return member


# --- messages, forms, states -------------------------------------------------------------------------------
def test_amendment_states_read_in_azerbaijani_as_the_glossary_words_them():
    assert [str(label) for label in Amendment.State.labels] == [
        "Qaralama", "Təqdim edilib", "Dəyişiklik tələb olunub", "Təsdiqlənib", "Tətbiq edilib", "Rədd edilib",
        "Geri götürülüb", "Yenilənməlidir (mətn dəyişib)", "Əvəzlənib",
    ]
    assert [str(label) for label in Amendment.Kind.labels] == [
        "Dəyişdirmə", "Çıxarılma", "Əlavə", "Tərcümənin yenilənməsi"]


def test_a_refused_transition_is_explained_in_azerbaijani(drafter, clause):
    amendment = modify(drafter, clause, body="A new text.", submit=True)
    with pytest.raises(TransitionError) as refused:
        amendment.submit(drafter)
    assert str(refused.value) == (
        "A-1 düzəlişinin vəziyyəti: təqdim edilib. Onu indi təqdim etmək mümkün deyil."
    )


def test_a_refused_transition_reaches_the_member_in_azerbaijani(as_drafter, drafter, clause):
    amendment = modify(drafter, clause, body="A new text.", submit=True)
    response = as_drafter.post(reverse("amendment_submit", args=[clause.document.slug, amendment.number]), follow=True)
    assert "Onu indi təqdim etmək mümkün deyil." in response.text
    assert "cannot be submitted" not in response.text


def test_a_form_error_is_shown_in_azerbaijani_beside_its_field(client, drafter, reviewer, clause):
    amendment = modify(drafter, clause, body="A new text.", submit=True)
    login(client, reviewer)
    url = reverse("amendment_review", args=[clause.document.slug, amendment.number])
    response = client.post(url, {"decision": Review.Decision.REJECT, "note": "", "revision": amendment.revision})
    assert response.status_code == 200
    assert "Nəyin dəyişməli olduğunu və ya nə üçün rədd edildiyini yazın." in response.text
    assert Amendment.objects.get(pk=amendment.pk).is_submitted  # nothing decided


def test_a_control_character_is_refused_in_azerbaijani_naming_the_field(as_admin, admin_member):
    response = as_admin.post(reverse("member_edit", args=[admin_member.pk]), {
        "full_name": "Aysel\nNəsirova", "email": admin_member.email, "agency": "", "position": "", "role": "admin"})
    assert "“Adı və soyadı” bir sətirdən ibarət olmalıdır: sətirkeçmə simvolunu silin." in response.text


# --- email ---------------------------------------------------------------------------------------------------
def test_one_request_emails_each_member_in_their_own_language(
    client, drafter, second_drafter, reviewer, clause, django_capture_on_commit_callbacks
):
    speaks(second_drafter, "en")  # drafter keeps the deployment's language (blank): Azerbaijani
    amendment = modify(drafter, clause, body="A new text.", cosponsors=[second_drafter], submit=True)
    login(client, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("amendment_review", args=[clause.document.slug, amendment.number]),
                    {"decision": Review.Decision.REQUEST_CHANGES, "note": "Shorter, please.",
                     "revision": amendment.revision})
    emails = {message.to[0]: message for message in mail.outbox}
    assert set(emails) == {drafter.email, second_drafter.email}
    assert "Rauf Həsənov A-1 düzəlişində dəyişiklik tələb etdi" in emails[drafter.email].subject
    assert "Rauf Həsənov A-1 düzəlişində dəyişiklik tələb etdi" in emails[drafter.email].body
    assert "Rauf Həsənov requested changes to A-1" in emails[second_drafter.email].subject
    assert "düzəliş" not in emails[second_drafter.email].body
    # The whole body, the footer too, is in the recipient's language.
    assert "Açmaq üçün: http" in emails[drafter.email].body and "Open it" not in emails[drafter.email].body
    assert "işçi qrupunun üzvü kimi" in emails[drafter.email].body
    assert "Open it: http" in emails[second_drafter.email].body


@pytest.mark.django_db(transaction=True)
def test_a_queued_email_is_rendered_by_the_worker_in_the_recipients_language_not_the_senders(settings, concept):
    from .builders import make_member

    settings.TASKS = DATABASE_QUEUE
    author = make_member("drafter_dina", Member.Role.DRAFTER, full_name="Dinara Əliyeva")
    reviewer = speaks(make_member("reviewer_rauf", Member.Role.REVIEWER, full_name="Rauf Həsənov"), "en")
    clause = concept.clauses.get(number="4.1.1")
    amendment = modify(author, clause, body="A new text.", submit=True)
    with translation.override("en"):  # the reviewer decides in English
        amendment.review(reviewer, Review.Decision.REQUEST_CHANGES, "Shorter, please.", revision=amendment.revision)
    assert mail.outbox == []  # queued, not sent by the request
    with translation.override("en"):  # the worker's own language is not the recipient's either
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    [message] = mail.outbox
    assert message.to == [author.email]
    assert "Rauf Həsənov A-1 düzəlişində dəyişiklik tələb etdi" in message.subject
    assert "Rauf Həsənov A-1 düzəlişində dəyişiklik tələb etdi" in message.body


def test_an_invitation_is_written_in_the_deployments_language_and_a_reset_in_the_members(
    drafter, admin_member, django_capture_on_commit_callbacks
):
    nigar = Member.add(full_name="Nigar Əliyeva", email="nigar@example.test", role="drafter", by=admin_member)
    with django_capture_on_commit_callbacks(execute=True):
        password_links.email_link(nigar.user, password_links.INVITATION)
    [invitation] = mail.outbox
    assert invitation.subject == "Sizi Drafting sisteminə dəvət edirik"
    assert invitation.body.startswith("Hörmətli Nigar Əliyeva,") and "Parolunuzu burada seçin" in invitation.body
    assert "Dear" not in invitation.body
    speaks(drafter, "en")
    drafter.user.set_password("a-password-2026")
    drafter.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        password_links.email_link(drafter.user, password_links.PASSWORD_RESET)
    assert mail.outbox[1].subject == "Choose a new Drafting password"
    assert "/accounts/reset/" in mail.outbox[1].body
    assert mail.outbox[1].body.startswith("Dear ") and "your password stays as it is" in mail.outbox[1].body


def test_an_email_about_a_draft_the_recipient_can_no_longer_read_is_not_sent(
    drafter, second_drafter, reviewer, clause, django_capture_on_commit_callbacks
):
    amendment = modify(drafter, clause, body="A new text.", cosponsors=[second_drafter])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        from .comment_builders import comment

        comment(drafter, amendment, "A thought on our draft.")
    amendment.sign_off(second_drafter)  # before the worker sends it
    for callback in callbacks:
        callback()
    assert mail.outbox == []


# --- exports -------------------------------------------------------------------------------------------------
@pytest.fixture
def marked(concept):
    concept.marking = "For official use only"
    concept.save()
    return concept


def test_a_table_exported_in_azerbaijani_carries_azerbaijani_headings_and_marking(client, marked, drafter, reviewer):
    english_only(marked)  # the single-language table's headings (both languages: test_versions_languages)
    modify(drafter, marked.clauses.get(number="4.1.1"), body="A new text.", submit=True)
    login(client, reviewer)
    response = client.get(reverse("disposition_xlsx", args=[marked.slug]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Yekun cədvəl"
    assert sheet["A1"].value == "Xidməti istifadə üçün"
    assert sheet["B1"].value.startswith("Rauf Həsənov üçün ixrac edilib, ")
    assert [cell.value for cell in sheet[2]] == [
        "Düzəliş", "Növ", "Bənd", "Müəllif", "Həmmüəlliflər", "Vəziyyət", "Rəyçilər və qərarlar", "Əsaslandırma",
        "Təklif edilən mətn", "Yekun mətn",
    ]
    assert [sheet["B3"].value, sheet["F3"].value] == ["Dəyişdirmə", "Təqdim edilib"]


def test_a_word_comparison_exported_in_azerbaijani_carries_azerbaijani_fixed_words(client, marked, reviewer):
    login(client, reviewer)
    response = client.get(reverse("versions_docx", args=[marked.slug]), {"old": "now", "new": "now"})
    word = WordFile(io.BytesIO(response.content))
    header = [p.text for p in word.sections[0].header.paragraphs if p.text]
    assert header[0] == "Xidməti istifadə üçün" and header[1].startswith("Rauf Həsənov üçün ixrac edilib, ")
    assert any("izlənən dəyişikliklər kimi" in p.text for p in word.paragraphs)


def test_an_export_in_english_keeps_english_fixed_words(client, marked, reviewer):
    speaks(reviewer, "en")
    login(client, reviewer)
    with translation.override("en"):  # the member's pages are in English (the request's active language)
        response = client.get(reverse("disposition_xlsx", args=[marked.slug]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [sheet["A1"].value, sheet["A2"].value] == ["For official use only", "Amendment"]


def test_a_cached_fragment_is_kept_per_language():
    coarse = Redline([Piece(EQUAL, "The text.")], unit=BY_SENTENCE)
    with translation.override("en"):
        english = cached_fragment("language-test", ["same inputs"], "drafting/_redline.html", {"pieces": coarse})
    azerbaijani = cached_fragment("language-test", ["same inputs"], "drafting/_redline.html", {"pieces": coarse})
    assert "Shown by sentence" in english
    assert "Cümlə-cümlə göstərilir" in azerbaijani


# --- the records pages (/admin/) ---------------------------------------------------------------------------
def test_the_records_pages_name_models_and_fields_in_azerbaijani(client, admin_member, drafter, clause):
    amendment = modify(drafter, clause, body="A new text.", submit=True)
    admin_member.user.is_staff = True
    admin_member.user.save(update_fields=["is_staff"])
    login(client, admin_member)
    listing = client.get(reverse("admin:drafting_amendment_changelist"))
    assert "Düzəlişlər" in listing.text or "düzəlişlər" in listing.text
    page = client.get(reverse("admin:drafting_amendment_change", args=[amendment.pk]))
    assert "Əsaslandırma" in page.text and "Düzəlişin əsaslandığı bəndin dəqiq redaksiyası." in page.text


# --- the record ----------------------------------------------------------------------------------------------
def test_history_reasons_are_recorded_in_english_and_read_in_the_readers_language(drafter, admin_member):
    drafter.edit(role="reviewer", agency="Ministry of Defence", by=admin_member)
    reason = drafter.history.latest().history_change_reason
    assert reason == "role drafter → reviewer; agency changed"
    assert describe_reason(reason) == "rol: tərtibçi → rəyçi; qurum dəyişdirildi"
    assert describe_reason("--reason an operator typed") == "--reason an operator typed"


# --- the catalog ---------------------------------------------------------------------------------------------
def _entries():
    """(msgctxt, msgid, [msgstr, ...], flags) of every entry of the committed catalog but its header."""
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    for block in text.strip().split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        fields = {}
        for key, value in re.findall(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', block, re.M):
            quoted = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', value))
            fields[key] = quoted.encode().decode("unicode_escape").encode("latin-1").decode()
        if fields.get("msgid"):
            strings = [value for key, value in fields.items() if key.startswith("msgstr")]
            yield fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"), strings, flags


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def test_every_message_marked_in_python_has_an_azerbaijani_translation():
    entries = list(_entries())
    assert len(entries) > 300
    assert [msgid for _, msgid, _, strings, _ in entries if not all(s.strip() for s in strings)] == []
    assert [msgid for _, msgid, _, _, flags in entries if "fuzzy" in flags] == []


def test_every_translation_keeps_its_placeholders():
    for _, msgid, _, strings, _ in _entries():
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == set(PLACEHOLDER.findall(msgid)), msgid


def test_the_compiled_catalog_is_the_committed_one():
    """django.mo is committed (a fresh machine may lack gettext) and says what django.po says."""
    with open(CATALOG / "django.mo", "rb") as compiled:
        catalog = GNUTranslations(compiled)
    for context, msgid, plural, strings, _ in _entries():
        if plural:
            assert [catalog.ngettext(msgid, plural, n) for n in (1, 2)] == strings, msgid
        elif context:
            assert catalog.pgettext(context, msgid) == strings[0], msgid
        else:
            assert catalog.gettext(msgid) == strings[0], msgid
