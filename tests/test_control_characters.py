"""Control characters: refused by every text field of every form with a message naming the field (nothing
saved), and replaced in every export when they were stored anyway.

FORM_CASES has one row per form of the app, with the URL that posts it and data it accepts. Each text field is
posted in turn with a vertical tab and with a NUL inside its value; the form must come back naming that field,
and nothing in the database may change. A form without a row fails `test_every_form_has_a_case`.
"""
import csv
import importlib
import io
import pkgutil
import re
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.forms.utils import pretty_name
from django.urls import resolve, reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

import drafting
from drafting import two_factor
from drafting.characters import REPLACEMENT, exportable, first_forbidden
from drafting.forms import access as access_forms
from drafting.forms import amendments as amendment_forms
from drafting.forms import comments as comment_forms
from drafting.forms import imports as import_forms
from drafting.forms import members as member_forms
from drafting.forms import rapporteurs as rapporteur_forms
from drafting.forms import search as search_forms
from drafting.forms import two_factor as two_factor_forms
from drafting.forms.base import IdChoices, InputRules
from drafting.markdown_format import parse
from drafting.models import Clause, Document, Member, Milestone, SessionRecord
from drafting.password_links import INVITATION, PASSWORD_RESET
from drafting.views import versions as version_views

from . import test_permissions
from .amendment_builders import modify
from .builders import PASSWORD, code_for
from .conftest import english_only, login
from .test_permissions import _comment, _link_kwargs, client_for
from .version_builders import approve

world = test_permissions.world  # the permission table's fixture: a persona of each kind and their objects

NEW_PASSWORD = "a-brand-new-passphrase-2026"


def redirected(response):
    return response.status_code == 302


@dataclass
class FormCase:
    """A form, the URL that takes it, who posts it and data it accepts."""

    form: type
    url_name: str
    persona: str
    data: Callable
    kwargs: Callable = field(default=lambda world: {})
    method: str = "post"
    accepted: Callable = redirected
    # The text fields and their labels where they depend on the document (the amendment forms of a bilingual
    # document are made per language): {name: label}; else the form class's own.
    fields: dict = None


def _slug(world):
    return {"slug": world.concept.slug}


def _clause_kind(kind):
    return lambda world: {"slug": world.concept.slug, "pk": world.clause.pk, "kind": kind}


def _english_only(kwargs):
    """The seeded Concept declared English-only first (the single-language form; the world is rolled back after
    the test): the bilingual forms have cases of their own."""
    def english(world):
        Document.objects.filter(pk=world.concept.pk).update(authoritative_language="en", translation_language="")
        return kwargs(world)
    return english


def _bilingual_proposal(world, **extra):
    return {"proposed_heading_az": "Yeni başlıq", "proposed_body_az": "Yeni mətn.", "proposed_heading": "A new heading",
            "proposed_body": "A new text.", "rationale": "Because it reads better.",
            "base": world.clause.history.latest().history_id, **extra}


def _compromise(world):
    """Two submitted rewordings of the clause (made once), combined by a reviewer."""
    if not hasattr(world, "originals"):
        from .amendment_builders import modify

        world.originals = [modify(world.drafter, world.clause, body=f"Test clause text {n}.", submit=True) for n in (1, 2)]
    return _bilingual_proposal(world, original=[a.pk for a in world.originals],
                               seen=[f"{a.pk}:{a.revision}" for a in world.originals], submit="1")


BILINGUAL_FIELDS = {"proposed_heading_az": "Heading in Azerbaijani", "proposed_body_az": "Text in Azerbaijani",
                    "proposed_heading": "Heading in English", "proposed_body": "Text in English"}


def _translated_clause(world):
    # A translation update needs a document with a translation: the seeded Concept's is English.
    return {"slug": world.concept.slug, "pk": world.clause.pk, "kind": "translate"}


def _amendment(world):
    return {"slug": world.concept.slug, "number": world.amendment.number}


def _proposal(world, **extra):
    return {"proposed_heading": "A new heading", "proposed_heading_az": "Yeni başlıq", "proposed_body": "A new text.",
            "rationale": "Because it reads better.", "base": world.clause.history.latest().history_id, **extra}


def _member(world):
    return {"full_name": "Nigar Hüseynova", "email": "nigar@example.test", "agency": "Ministry", "position": "Head",
            "role": "drafter"}


def _rapporteur(world):
    from datetime import timedelta

    from django.utils import timezone

    # The reviewer is already rapporteur for section 4 in the permission table's world; the co-sponsor reviews too.
    return {"clause": str(world.concept.clauses.get(number="4").pk), "member": str(world.cosponsor.pk),
            "due_date": (timezone.localdate() + timedelta(days=7)).isoformat()}


def _new_password(world):
    return {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def _word_file(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .word_files import python_docx_file

    return {"file": SimpleUploadedFile("sinaq.docx", python_docx_file()), "language": "az"}


def _held_word_file(world):
    """A preview made first by the same admin, so that its token confirms."""
    response = client_for("admin", world).post(reverse("word_import_new"), _word_file(world))
    return {"token": response.context["confirm"]["token"].value()}


def _says(words):
    return lambda response: response.status_code == 200 and words in response.text


FORM_CASES = {
    "member add": FormCase(member_forms.MemberForm, "member_add", "admin", _member),
    "member edit": FormCase(member_forms.MemberForm, "member_edit", "admin", _member,
                            kwargs=lambda world: {"pk": world.target.pk}),
    "profile": FormCase(member_forms.ProfileForm, "profile", "drafter",
                        lambda world: {"full_name": "Dinara", "email": "dinara@example.test", "agency": "A",
                                       "position": "P", "email_frequency": "daily"}),
    "password change": FormCase(member_forms.ChangePasswordForm, "password_change", "drafter",
                                lambda world: {"old_password": PASSWORD, **_new_password(world)}),
    "password reset": FormCase(member_forms.PasswordLinkRequestForm, "password_reset", "anonymous",
                               lambda world: {"email": world.drafter.user.email}, accepted=_says("Check your email")),
    "password from a reset link": FormCase(member_forms.ChoosePasswordForm, "password_reset_confirm", "anonymous",
                                           _new_password, kwargs=_link_kwargs(PASSWORD_RESET, "target")),
    "password from an invitation": FormCase(member_forms.ChoosePasswordForm, "invite_accept", "anonymous",
                                            _new_password, kwargs=_link_kwargs(INVITATION, "invitee")),
    "sign in": FormCase(member_forms.SignInForm, "login", "anonymous",
                        lambda world: {"username": world.drafter.user.username, "password": PASSWORD}),
    "search": FormCase(search_forms.SearchForm, "search", "drafter", lambda world: {"q": "restoration"}, method="get",
                       accepted=lambda response: response.status_code == 200 and "errorlist" not in response.text),
    "audit filter": FormCase(member_forms.AuditFilterForm, "audit_log", "admin",
                             lambda world: {"who": "Drafter", "since": "2026-01-01"}, method="get",
                             accepted=lambda response: response.status_code == 200 and "errorlist" not in response.text),
    "reword": FormCase(amendment_forms.ModifyForm, "amendment_new", "drafter", _proposal,
                       kwargs=_english_only(_clause_kind("modify"))),
    "reword in two languages": FormCase(amendment_forms.ModifyForm, "amendment_new", "drafter", _bilingual_proposal,
                                        kwargs=_clause_kind("modify"), fields=BILINGUAL_FIELDS),
    "insert": FormCase(amendment_forms.InsertForm, "amendment_new", "drafter",
                       lambda world: _proposal(world, placement="after"), kwargs=_english_only(_clause_kind("insert"))),
    "insert in two languages": FormCase(amendment_forms.InsertForm, "amendment_new", "drafter",
                                        lambda world: _bilingual_proposal(world, placement="after"),
                                        kwargs=_clause_kind("insert"), fields=BILINGUAL_FIELDS),
    "remove": FormCase(amendment_forms.RemoveForm, "amendment_new", "drafter",
                       lambda world: {"rationale": "Obsolete.", "confirm": "on"}, kwargs=_clause_kind("remove")),
    "translation update": FormCase(amendment_forms.TranslateForm, "amendment_new", "drafter",
                                   lambda world: {"proposed_heading": "A new heading", "proposed_body": "A new text.",
                                                  "rationale": "The translation follows the text.",
                                                  "base": world.clause.history.latest().history_id},
                                   kwargs=_translated_clause,
                                   fields={"proposed_heading": "Heading in English", "proposed_body": "Text in English"}),
    "compromise": FormCase(amendment_forms.CompromiseForm, "compromise_new", "reviewer", _compromise,
                           kwargs=lambda world: {"slug": world.concept.slug, "pk": world.clause.pk},
                           fields={**BILINGUAL_FIELDS, "rationale": "Rationale"}),
    "amendment edit": FormCase(amendment_forms.ModifyForm, "amendment_edit", "drafter",
                               lambda world: _proposal(world, edited_at=world.amendment.updated_at.isoformat()),
                               kwargs=_english_only(_amendment)),
    "review": FormCase(amendment_forms.ReviewForm, "amendment_review", "reviewer",
                       lambda world: {"decision": "reject", "note": "Not needed."}, kwargs=_amendment),
    "quorum": FormCase(amendment_forms.QuorumForm, "document_settings", "admin", lambda world: {"quorum": "2"},
                       kwargs=_slug),
    "access": FormCase(access_forms.AccessForm, "document_access", "admin",
                       lambda world: {"member": str(world.drafter.pk), "role": "reader"}, kwargs=_slug),
    "tag": FormCase(amendment_forms.TagForm, "tag_list", "admin", lambda world: {"name": "Energy security"}),
    "comment on a clause": FormCase(comment_forms.CommentForm, "clause_comment", "drafter",
                                    lambda world: {"body": "A point.", "quote": ""},
                                    kwargs=lambda world: {"slug": world.concept.slug, "pk": world.clause.pk}),
    "comment on an amendment": FormCase(comment_forms.CommentForm, "amendment_comment", "drafter",
                                        lambda world: {"body": "A point.", "quote": ""}, kwargs=_amendment),
    "reply": FormCase(comment_forms.ReplyForm, "comment_reply", "drafter", lambda world: {"body": "Agreed."},
                      kwargs=_comment("target")),
    "comment edit": FormCase(comment_forms.EditForm, "comment_edit", "drafter", lambda world: {"body": "Better."},
                             kwargs=_comment("drafter")),
    # Suggested changes (issue 15 point 2): the words to replace and the replacement, on the drafter's amendment
    # (sent back for changes, so it takes suggestions); the author's note when declining one.
    "suggested change": FormCase(comment_forms.CommentForm, "amendment_comment", "reviewer",
                                 lambda world: {"body": "Better.", "quote": "", "suggest_original": "Shorter",
                                                "suggest_replacement": "Much shorter"},
                                 kwargs=_amendment, fields={"suggest_original": "Words to replace",
                                                            "suggest_replacement": "Replace with"}),
    "suggestion decline": FormCase(comment_forms.DeclineForm, "suggestion_decline", "drafter",
                                   lambda world: {"note": "Not needed."},
                                   kwargs=lambda world: {"slug": world.concept.slug, "pk": world.suggestion.comment_id}),
    "milestone": FormCase(version_views.MilestoneForm, "milestone_create", "reviewer",
                          lambda world: {"name": "Draft for consultation", "moment": "", "note": "Sent out."},
                          kwargs=_slug),
    # The code that confirms enrolment, computed from the drafter's pending authenticator secret.
    "two-factor code": FormCase(two_factor_forms.CodeForm, "two_factor_enrol", "drafter",
                                lambda world: {"code": code_for(two_factor.pending_device(world.drafter.user))},
                                accepted=_says("Your backup codes")),
    "replace backup codes": FormCase(two_factor_forms.ConfirmForm, "backup_codes", "reviewer", lambda world: {},
                                     accepted=_says("Your backup codes")),
    # The Word import (issue 14): the upload has no text field (a file and a choice); its confirmation names the
    # held file by a token.
    "word file": FormCase(import_forms.WordFileForm, "word_import_new", "admin", _word_file,
                          accepted=_says("Confirm import")),
    "word import confirmation": FormCase(import_forms.ConfirmForm, "word_import_new", "admin", _held_word_file),
    # The header's language switcher: a choice, no text field; where it returns to is checked apart
    # (tests/test_interface_language.py).
    "language": FormCase(member_forms.LanguageForm, "choose_language", "drafter",
                         lambda world: {"language": "en", "next": "/"}),
    # The inbox's email choice: a choice, no text field (its odd values: tests/test_digests.py).
    "email frequency": FormCase(member_forms.EmailFrequencyForm, "email_preference", "drafter",
                                lambda world: {"email_frequency": "weekly"}),
    "rapporteur": FormCase(rapporteur_forms.RapporteurForm, "rapporteur_assign", "admin", _rapporteur, kwargs=_slug),
    "milestone rename": FormCase(version_views.RenameMilestoneForm, "milestone_rename", "reviewer",
                                 lambda world: {"name": "The 2007 text"},
                                 kwargs=lambda world: {"slug": world.concept.slug,
                                                       "pk": world.concept.milestones.get().pk}),
}


def text_fields(form_class):
    return {name: f.label or pretty_name(name) for name, f in form_class.base_fields.items()
            if isinstance(f, forms.CharField)}


def everything():
    """Every row of the app's tables and of the accounts: what "nothing saved" compares."""
    # Where members are signed in (SessionRecord) is noted on signed-in requests whatever they post.
    models = [*(m for m in apps.get_app_config("drafting").get_models() if m is not SessionRecord), get_user_model()]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def post(case, world, data):
    """Send the form; return the response and whether the database changed. Rolled back afterwards."""
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    client = client_for(case.persona, world)
    cookies = deepcopy(client.cookies)  # the signed-in client is shared by the test (test_permissions.ask)
    with transaction.atomic():
        before = everything()
        response = getattr(client, case.method)(url, data)
        changed = everything() != before
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, changed


def with_inside(value, character):
    """`value` with `character` in its middle (at either end a field's stripping could hide it)."""
    value = str(value)
    value = value if len(value) >= 2 else value + "ab"
    middle = len(value) // 2
    return value[:middle] + character + value[middle:]


@pytest.mark.parametrize("name", sorted(FORM_CASES))
def test_a_control_character_in_any_text_field_is_refused_naming_the_field_and_nothing_is_saved(world, name):
    case = FORM_CASES[name]
    fields = case.fields or text_fields(case.form)
    valid = case.data(world)
    response, changed = post(case, world, valid)
    assert case.accepted(response), f"{name}: the valid data was refused ({response.status_code})"
    wrong = []
    for field_name, label in fields.items():
        for character, code in (("\x0b", "U+000B"), ("\x00", "U+0000")):
            data = {**valid, field_name: with_inside(valid.get(field_name, ""), character)}
            response, changed = post(case, world, data)
            message = f"“{label}” contains an invisible control character ({code})"
            if response.status_code != 200 or message not in response.text:
                wrong.append(f"  {field_name} with {code}: {response.status_code}, no message “{message}”")
            if changed:
                wrong.append(f"  {field_name} with {code}: something was saved")
    assert not wrong, f"{name}:\n" + "\n".join(wrong)


def test_single_line_fields_refuse_line_breaks_and_multi_line_fields_keep_them(world):
    case = FORM_CASES["reword"]
    one_line, _ = post(case, world, {**case.data(world), "proposed_heading": "Two\nlines"})
    assert "“Heading” is a single line: remove a line break." in one_line.text
    paragraphs, changed = post(case, world, {**case.data(world), "proposed_body": "One.\r\n\r\n\tTwo."})
    assert paragraphs.status_code == 302 and changed


# --- the rules reach every form ----------------------------------------------------------------------------
def _forms_in(module):
    return {value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ != "django.forms.forms"
            and value not in (forms.Form, forms.ModelForm)}


def every_form_of_the_app():
    """Forms defined in the app, forms imported into its views, and the sign-in page's form."""
    found = set()
    for info in pkgutil.walk_packages(drafting.__path__, "drafting."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        module = importlib.import_module(info.name)
        found |= {form for form in _forms_in(module)
                  if form.__module__.startswith("drafting.") or info.name.startswith("drafting.views.")}
    login = resolve(reverse("login")).func
    found.add(login.view_initkwargs.get("authentication_form") or login.view_class.authentication_form)
    return {form for form in found if form is not InputRules and not form.__name__.startswith("_")}


def test_every_form_follows_the_input_rules():
    offenders = [form.__qualname__ for form in every_form_of_the_app() if not issubclass(form, InputRules)]
    assert not offenders, f"add InputRules (drafting/forms/base.py) to: {offenders}"
    by_id = [f"{form.__qualname__}.{name}" for form in every_form_of_the_app()
             for name, f in form.base_fields.items()
             if isinstance(f, forms.ModelMultipleChoiceField) and not isinstance(f, IdChoices)]
    assert not by_id, f"choose objects by id with IdChoices: {by_id}"


def test_every_form_has_a_case():
    covered = {case.form for case in FORM_CASES.values()}
    missing = [form.__qualname__ for form in every_form_of_the_app() - covered]
    assert not missing, f"add rows to FORM_CASES for: {missing}"


def test_forbidden_characters_are_the_controls_and_nothing_a_language_needs():
    assert first_forbidden("Milli təhlükəsizlik — İlham, Şuşa, ğ, ö, ü, ç, ı; “quotes” ‘…’ €", multiline=False) is None
    assert first_forbidden("line\r\nbreak\tand tab", multiline=True) is None
    for character in ("\x00", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\ufffe"):
        assert first_forbidden(f"a{character}b", multiline=True) == character
    assert first_forbidden("a\tb", multiline=False) == "\t"


# --- exports of text stored before the rule ----------------------------------------------------------------
# What a command or an older version could have stored. PostgreSQL cannot store NUL at all; SQLite can.
STORED = "Before\x0bafter\x1fend" + ("\x00" if connection.vendor == "sqlite" else "")


@pytest.fixture
def polluted(concept, drafter, reviewer):
    """Control characters in a clause's heading and text, a rationale, a member's name, a milestone's name and
    the document's title, all written with the ORM (past the forms), with history as the app writes it."""
    milestone = Milestone.objects.create(document=concept, name=f"Draft {STORED}",
                                         moment=concept.milestones.get().moment)
    Member.objects.filter(pk=drafter.pk).update(full_name=f"Dinara {STORED}")
    drafter.refresh_from_db()
    clause = concept.clauses.get(number="4.1.1")
    applied = approve(modify(drafter, clause, body=f"New text. {STORED}", heading=f"Heading {STORED}",
                             rationale=f"Why: {STORED}", submit=True), reviewer)
    clause = Clause.objects.get(pk=clause.pk)
    clause.heading_az = f"Başlıq {STORED}"
    clause.save()
    concept.title = f"{concept.title} {STORED}"
    concept.save()
    return milestone, applied


def _download(client, name, concept, query=""):
    response = client.get(reverse(name, args=[concept.slug]) + query)
    assert response.status_code == 200, name
    return response.content


def test_every_export_answers_and_reads_back_when_stored_text_holds_control_characters(client, concept, drafter,
                                                                                       polluted):
    milestone, applied = polluted
    english_only(concept)  # the files of a single-language document, where the polluted English text is
    login(client, drafter)
    clean = exportable(STORED)
    assert clean.startswith(f"Before{REPLACEMENT}after{REPLACEMENT}end") and not first_forbidden(clean, multiline=True)

    rows = list(csv.reader(io.StringIO(_download(client, "disposition_csv", concept).decode("utf-8-sig"))))
    # Row 1 is the trace ("Exported for Dinara ..."), row 2 the column names.
    assert rows[0] == [f"Exported for Dinara {clean}, {rows[0][0].rsplit(', ', 1)[1]}"]
    assert rows[2][3] == f"Dinara {clean}" and rows[2][7] == f"Why: {clean}"

    sheet = load_workbook(io.BytesIO(_download(client, "disposition_xlsx", concept))).active
    assert sheet["D3"].value == f"Dinara {clean}" and clean in sheet["I3"].value

    word = WordDocument(io.BytesIO(_download(client, "versions_docx", concept, f"?old={milestone.point}&new=now")))
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert f"Draft {clean}" in text and word.core_properties.title.endswith(clean)
    assert {element.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}author")
            for element in word.element.body.iter() if element.tag.endswith("}ins")} == {f"Dinara {clean}"}

    for at in ("now", milestone.point):
        markdown = _download(client, "versions_markdown", concept, f"?at={at}").decode("utf-8")
        assert "\x00" not in markdown and "\x0b" not in markdown
        parsed = parse(markdown)  # the importer reads it back, one clause per heading as before
        assert len(list(parsed.walk())) == concept.clauses.count()
    now = parse(_download(client, "versions_markdown", concept, "?at=now").decode("utf-8"))
    changed = next(c for c in now.walk() if c.heading.startswith("Heading"))
    assert changed.heading == f"Heading {clean}" and changed.heading_az == f"Başlıq {clean}"
    assert changed.body == f"New text. {clean}"
    assert re.sub(r"\s+", " ", now.title).endswith(clean)
