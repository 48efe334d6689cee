"""Limits on what one may send: an oversize post gets a page naming the limit (nothing saved, Back keeps the
text); an over-long field comes back beside the form with the text kept; a preview applies the saving limits
before it diffs anything."""
import pytest
from django.conf import settings
from django.urls import reverse

from drafting.forms.amendments import MAX_BODY
from drafting.models import Amendment, Comment
from drafting.models.comments import BODY_MAX_LENGTH

from .comment_builders import htmx
from .conftest import english_only
from .test_control_characters import every_form_of_the_app


@pytest.fixture
def concept(concept):
    """The seeded Concept declared English-only: these are the single-language form's rules (the bilingual
    form's are in tests/test_bilingual_amendments.py)."""
    english_only(concept)
    return concept


@pytest.fixture
def clause(concept):
    return concept.clauses.get(number="4.1.1")


def test_a_post_over_the_size_limit_gets_a_page_naming_the_limit_and_nothing_is_saved(as_drafter, clause):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    url = reverse("clause_comment", args=[clause.document.slug, clause.pk])
    response = as_drafter.post(url, {"body": "ə" * (5 * 1024 * 1024)})
    assert response.status_code == 413
    assert "at most <strong>1.0\xa0MB</strong>" in response.text  # filesizeformat keeps number and unit together
    assert "nothing was saved" in response.text and "<strong>Back</strong> button" in response.text
    assert "a comment holds at most 5,000 characters" in response.text
    assert not Comment.objects.exists()


def test_a_post_with_too_many_fields_gets_the_same_page(as_drafter, clause):
    url = reverse("clause_comment", args=[clause.document.slug, clause.pk])
    response = as_drafter.post(url, {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})
    assert response.status_code == 413 and "nothing was saved" in response.text


@pytest.mark.parametrize("headers", [{}, htmx()], ids=["plain", "htmx"])
def test_an_over_long_comment_comes_back_with_its_text_and_the_limit_beside_it(as_drafter, clause, headers):
    text = "Uzun şərh. " * 500  # 5,500 characters
    url = reverse("clause_comment", args=[clause.document.slug, clause.pk])
    response = as_drafter.post(url, {"body": text}, **headers)
    assert response.status_code == 200
    assert f"A comment can be at most {BODY_MAX_LENGTH} characters; this one has {len(text.strip())}." in response.text
    assert text.strip() in response.text  # the text is in the textarea, as typed
    assert not Comment.objects.exists()


def test_every_limited_text_field_tells_the_browser_its_limit():
    missing = [f"{form.__qualname__}.{name}" for form in every_form_of_the_app()
               for name, field in form.base_fields.items()
               if getattr(field, "max_length", None) and field.widget.attrs.get("maxlength") != str(field.max_length)]
    assert not missing, f"no maxlength attribute: {missing}"


# --- previews ------------------------------------------------------------------------------------------------
@pytest.fixture
def redline_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a diff was computed")

    # The amendment model draws every preview (Amendment.preview), from the name it imported.
    monkeypatch.setattr("drafting.models.amendments.redline", refuse)
    monkeypatch.setattr("drafting.redline.redline", refuse)


def _proposal(clause, **fields):
    return {"base": clause.history.latest().history_id, "proposed_heading": clause.heading,
            "proposed_body": clause.body, "rationale": "", **fields}


HUGE = "söz " * 100_000  # 400,000 characters


def test_the_live_preview_refuses_a_body_over_the_limit_without_diffing(as_drafter, clause, redline_must_not_run):
    url = reverse("amendment_preview", args=[clause.document.slug, clause.pk, "modify"])
    response = as_drafter.post(url, _proposal(clause, proposed_body=HUGE), **htmx())
    assert response.status_code == 200
    assert f"Text: At most {MAX_BODY:,} characters (this has {len(HUGE.strip()):,})." in response.text
    assert "No redline" in response.text


def test_the_preview_button_refuses_a_body_over_the_limit_without_diffing(as_drafter, clause, redline_must_not_run):
    url = reverse("amendment_new", args=[clause.document.slug, clause.pk, "insert"])
    response = as_drafter.post(url, {**_proposal(clause, proposed_body=HUGE, placement="after"), "preview": "1"})
    assert response.status_code == 200
    assert f"At most {MAX_BODY:,} characters" in response.text and not Amendment.objects.exists()


def test_the_preview_of_an_edit_refuses_a_body_over_the_limit_without_diffing(client, drafter, clause,
                                                                               redline_must_not_run):
    from .amendment_builders import modify
    from .conftest import login

    amendment = modify(drafter, clause, body="Shorter.")
    login(client, drafter)
    data = {**_proposal(clause, proposed_body=HUGE), "edited_at": amendment.updated_at.isoformat(), "preview": "1"}
    response = client.post(reverse("amendment_edit", args=[clause.document.slug, amendment.number]), data)
    assert f"At most {MAX_BODY:,} characters" in response.text
    amendment.refresh_from_db()
    assert amendment.proposed_body == "Shorter."


def test_the_preview_refuses_control_characters_naming_the_field(as_drafter, clause, redline_must_not_run):
    url = reverse("amendment_preview", args=[clause.document.slug, clause.pk, "modify"])
    response = as_drafter.post(url, _proposal(clause, proposed_heading="Bad\x0bheading"), **htmx())
    assert "“Heading” contains an invisible control character (U+000B)" in response.text


def test_a_preview_within_the_limits_is_a_redline_even_before_the_rationale_is_written(as_drafter, clause):
    url = reverse("amendment_preview", args=[clause.document.slug, clause.pk, "modify"])
    response = as_drafter.post(url, _proposal(clause, proposed_body=clause.body + " Added words."), **htmx())
    assert "<ins>" in response.text and "Added words." in response.text
    assert "rationale" not in response.text.lower()


def test_a_change_reason_too_long_for_its_column_is_cut_not_a_database_error(as_drafter, drafter):
    long_address = "a-very-long-address-" + "x" * 100 + "@example.test"
    data = {"full_name": "Dinara Ə.", "email": long_address, "agency": "Another agency", "position": "Head"}
    response = as_drafter.post(reverse("profile"), data)
    assert response.status_code == 302
    row = drafter.history.latest()
    assert row.account_email == long_address  # the row keeps the full address
    assert len(row.history_change_reason) == 100 and row.history_change_reason.endswith("…")


def _instance(form_class, concept, member):
    """A form of each class, built as its view builds it."""
    from drafting.forms import amendments, members

    clause = concept.clauses.get(number="4.1.1")
    extra = {}
    if issubclass(form_class, amendments._Sponsorship):
        extra = {"author": member, "base": clause.history.latest()}
    elif issubclass(form_class, (members.ChangePasswordForm, members.ChoosePasswordForm)):
        return lambda data=None: form_class(member.user, data)
    elif issubclass(form_class, members.SignInForm):
        return lambda data=None: form_class(None, data)
    elif form_class.__name__ in ("MilestoneForm", "RapporteurForm"):
        extra = {"document": concept}
    return lambda data=None: form_class(data, **extra)


def test_every_limit_shown_to_the_browser_is_enforced_when_saving(concept, drafter):
    from drafting.forms.members import SignInForm

    unchecked = []
    # Signing in saves nothing: a longer username is simply nobody's (Django's own form works so).
    for form_class in every_form_of_the_app() - {SignInForm}:
        make = _instance(form_class, concept, drafter)
        limits = {name: int(field.widget.attrs["maxlength"]) for name, field in make().fields.items()
                  if "maxlength" in field.widget.attrs}
        for name, limit in limits.items():
            form = make({name: "x" * (limit + 1)})
            if name not in form.errors:
                unchecked.append(f"{form_class.__qualname__}.{name} (maxlength {limit})")
    assert not unchecked, f"a limit the browser is told but the form does not check: {unchecked}"
