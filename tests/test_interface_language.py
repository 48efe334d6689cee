"""The interface language (issue 13, point 5): the signed-in member's stored choice, else the language cookie,
else the deployment's LANGUAGE_CODE, never the browser's Accept-Language; the header's switcher stores the choice
and goes back only to this site; emails keep following their recipient's language."""
import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from drafting.models import Member, Review

from .amendment_builders import modify
from .builders import PASSWORD, enrolled_device, make_member
from .conftest import login

pytestmark = [pytest.mark.azerbaijani, pytest.mark.django_db]

COOKIE = django_settings.LANGUAGE_COOKIE_NAME
AZ_SIGN_IN = "Daxil olun"
EN_SIGN_IN = "Sign in"


@pytest.fixture(autouse=True)
def azerbaijani_deployment(settings):
    settings.LANGUAGE_CODE = "az"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def speaks(member, language):
    member.language = language
    member.save(update_fields=["language"])
    return member


def choose(client, language, next_url="/", **extra):
    return client.post(reverse("choose_language"), {"language": language, "next": next_url}, **extra)


# --- which language a page is in ---------------------------------------------------------------------------
def test_the_deployments_language_is_the_default(client):
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "az"
    assert '<html lang="az">' in response.text
    assert f"<h1>{AZ_SIGN_IN}</h1>" in response.text


def test_the_default_language_comes_from_the_setting(client, settings):
    settings.LANGUAGE_CODE = "en"
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert f"<h1>{EN_SIGN_IN}</h1>" in response.text


def test_the_cookie_wins_over_the_default(client):
    client.cookies[COOKIE] = "en"
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.text


def test_the_members_stored_language_wins_over_the_cookie(client, drafter):
    speaks(drafter, "en")
    login(client, drafter)
    client.cookies[COOKIE] = "az"
    response = client.get(reverse("document_list"))
    assert response["Content-Language"] == "en"
    assert "<h1>Documents</h1>" in response.text


def test_a_member_without_a_stored_language_follows_the_cookie_then_the_default(client, drafter):
    login(client, drafter)
    assert "<h1>Sənədlər</h1>" in client.get(reverse("document_list")).text
    client.cookies[COOKIE] = "en"
    assert "<h1>Documents</h1>" in client.get(reverse("document_list")).text


def test_accept_language_is_ignored(client, drafter):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "az"
    login(client, drafter)
    response = client.get(reverse("document_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert "<h1>Sənədlər</h1>" in response.text


def test_an_unknown_cookie_value_falls_back_to_the_default(client):
    client.cookies[COOKIE] = "fr"
    assert client.get(reverse("login"))["Content-Language"] == "az"


def test_error_pages_are_in_the_chosen_language(client, drafter):
    login(client, drafter)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Belə səhifə yoxdur." in response.text
    speaks(drafter, "en")
    assert "There is no such page." in client.get("/no-such-page/").text


def test_the_language_of_one_request_does_not_leak_into_the_next_code_on_the_thread(client, drafter):
    from django.utils import translation

    speaks(drafter, "en")
    login(client, drafter)
    with translation.override("az"):
        client.get(reverse("document_list"))
        assert translation.get_language() == "az"


# --- the switcher -------------------------------------------------------------------------------------------
def test_the_switcher_is_on_the_sign_in_page_with_each_language_named_in_itself(client):
    page = client.get(reverse("login")).text
    assert 'id="language-switcher"' in page
    assert 'name="csrfmiddlewaretoken"' in page.split('id="language-switcher"')[1].split("</form>")[0]
    assert 'lang="az" class="link" aria-pressed="true">Azərbaycanca</button>' in page
    assert 'lang="en" class="link" aria-pressed="false">English</button>' in page


def test_the_switcher_is_on_error_pages(client, drafter):
    login(client, drafter)
    assert 'id="language-switcher"' in client.get("/no-such-page/").text


def test_the_switcher_sets_the_cookie_and_goes_back(client):
    response = choose(client, "en", "/accounts/login/?next=/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"
    assert response.cookies[COOKIE].value == "en"
    assert response.cookies[COOKIE]["httponly"]
    assert f"<h1>{EN_SIGN_IN}</h1>" in client.get(reverse("login")).text


def test_the_switcher_stores_the_choice_on_the_member(client, drafter):
    login(client, drafter)
    choose(client, "en")
    drafter.refresh_from_db()
    assert drafter.language == "en"
    assert drafter.history.latest().history_change_reason == "language changed"


def test_the_stored_choice_follows_the_member_to_another_browser(drafter):
    choose(login(Client(), drafter), "en")
    other_browser = login(Client(), drafter)
    assert "<h1>Documents</h1>" in other_browser.get(reverse("document_list")).text


def test_the_switcher_works_during_the_second_step_of_signing_in(client, reviewer):
    enrolled_device(reviewer.user)
    client.post(reverse("login"), {"username": reviewer.user.username, "password": PASSWORD})
    page = client.get(reverse("two_factor_verify"))
    assert "Kodunuzu daxil edin" in page.text and 'id="language-switcher"' in page.text
    response = choose(client, "en", reverse("two_factor_verify"))
    assert response["Location"] == reverse("two_factor_verify")
    reviewer.refresh_from_db()
    assert reviewer.language == "en"
    assert "Enter your code" in client.get(reverse("two_factor_verify")).text


def test_an_outsider_can_read_the_refusal_in_either_language(client):
    from .builders import make_outsider

    login(client, make_outsider())
    response = choose(client, "en")
    assert response.status_code == 302
    assert "You are not allowed to see this page." in client.get(reverse("document_list")).text


def test_a_forged_next_to_another_host_is_not_followed(client):
    for forged in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)",
                   "http://testserver.evil.example/"):
        response = choose(client, "en", forged)
        assert response["Location"] == "/", forged


def test_an_unknown_language_is_refused_with_400(client, drafter):
    login(client, drafter)
    for bad in ("fr", "", "AZ", "az\x00", "en-us", "ａｚ", "a" * 10_000):
        response = choose(client, bad)
        assert response.status_code == 400, repr(bad[:20])
    drafter.refresh_from_db()
    assert drafter.language == ""


def test_a_get_is_refused_with_405(client):
    assert client.get(reverse("choose_language")).status_code == 405


def test_a_post_without_the_csrf_token_is_refused(drafter):
    client = login(Client(enforce_csrf_checks=True), drafter)
    response = choose(client, "en")
    assert response.status_code == 403
    drafter.refresh_from_db()
    assert drafter.language == ""


def test_a_huge_next_is_not_followed(client):
    response = choose(client, "en", "/" + "a" * 5000)
    assert response["Location"] == "/" and response.cookies[COOKIE].value == "en"


def test_a_next_with_control_characters_stays_on_this_site(client):
    for odd in ("/\x01evil", "\x01//evil.example/", "/\x00x", "\t//evil.example/", "/٣"):
        response = choose(client, "en", odd)
        assert response.status_code in (302, 400), repr(odd)
        if response.status_code == 302:
            location = response["Location"]
            assert location.startswith("/") and not location.startswith(("//", "/\\")), repr(odd)


# --- the profile ---------------------------------------------------------------------------------------------
def test_the_profile_page_stores_the_language(client, drafter):
    login(client, drafter)
    page = client.get(reverse("profile")).text
    assert "İnterfeysin və e-poçt məktublarınızın dili" in page
    client.post(reverse("profile"), {"full_name": drafter.full_name, "email": drafter.email, "language": "en"})
    drafter.refresh_from_db()
    assert drafter.language == "en"
    assert "Your profile" in client.get(reverse("profile")).text


def test_the_profile_refuses_an_unknown_language_beside_the_field(client, drafter):
    login(client, drafter)
    response = client.post(reverse("profile"), {"full_name": "Dinara Əliyeva Yeni", "email": drafter.email,
                                                "language": "fr"})
    assert response.status_code == 200
    assert 'value="Dinara Əliyeva Yeni"' in response.text
    drafter.refresh_from_db()
    assert drafter.language == "" and drafter.full_name == "Dinara Əliyeva"


# --- emails ---------------------------------------------------------------------------------------------------
def test_emails_keep_following_the_recipients_language_not_the_senders_page(
    client, drafter, second_drafter, reviewer, concept, django_capture_on_commit_callbacks
):
    clause = concept.clauses.get(number="4.1.1")
    speaks(second_drafter, "en")
    speaks(reviewer, "en")  # the sender reads English pages; the drafter (no choice) gets the deployment's az
    amendment = modify(drafter, clause, body="A new text.", cosponsors=[second_drafter], submit=True)
    login(client, reviewer)
    client.cookies[COOKIE] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("amendment_review", args=[concept.slug, amendment.number]),
                    {"decision": Review.Decision.REQUEST_CHANGES, "note": "Shorter, please.",
                     "revision": amendment.revision})
    emails = {message.to[0]: message for message in mail.outbox}
    assert "dəyişiklik tələb etdi" in emails[drafter.email].subject
    assert "requested changes" in emails[second_drafter.email].subject


def test_a_member_who_switches_gets_emails_in_the_new_language(
    client, drafter, reviewer, concept, django_capture_on_commit_callbacks
):
    clause = concept.clauses.get(number="4.1.1")
    amendment = modify(drafter, clause, body="A new text.", submit=True)
    choose(login(client, drafter), "en")
    reviewer_client = login(Client(), reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(reverse("amendment_review", args=[concept.slug, amendment.number]),
                             {"decision": Review.Decision.REQUEST_CHANGES, "note": "Shorter.",
                              "revision": amendment.revision})
    [email] = [m for m in mail.outbox if m.to == [drafter.email]]
    assert "requested changes" in email.subject


def test_a_new_member_without_a_choice_reads_the_deployments_language(db):
    member = make_member("new_nigar", Member.Role.DRAFTER)
    assert member.language == "" and member.interface_language == "az"


# --- dates ------------------------------------------------------------------------------------------------------
def test_dates_read_in_each_languages_own_words():
    from datetime import datetime
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from django.template import Context, Template
    from django.utils import translation

    from drafting.views.clauses import label_moments

    moment = datetime(2026, 12, 5, 9, 3, tzinfo=ZoneInfo("Asia/Baku"))
    template = Template('{{ at|date:"DATETIME_FORMAT" }} · {{ at|date:"DATE_FORMAT" }}')
    with translation.override("az"):
        assert template.render(Context({"at": moment})) == "5 dekabr 2026, 09:03 · 5 dekabr 2026"
        assert [v.when for v in label_moments([SimpleNamespace(history_date=moment)])] == ["5 dekabr 2026, 09:03"]
    with translation.override("en"):
        assert template.render(Context({"at": moment})) == "5 Dec 2026, 09:03 · 5 Dec 2026"
        assert [v.when for v in label_moments([SimpleNamespace(history_date=moment)])] == ["5 Dec 2026, 09:03"]


def test_two_versions_in_one_minute_are_told_apart_by_seconds_in_azerbaijani():
    from datetime import datetime, timedelta
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from drafting.views.clauses import label_moments

    moment = datetime(2026, 3, 1, 14, 30, 5, tzinfo=ZoneInfo("Asia/Baku"))
    versions = [SimpleNamespace(history_date=moment), SimpleNamespace(history_date=moment + timedelta(seconds=20))]
    with translation.override("az"):
        assert [v.when for v in label_moments(versions)] == ["1 mart 2026, 14:30:05", "1 mart 2026, 14:30:25"]


# --- the setting -----------------------------------------------------------------------------------------------
def _language_code_with(value):
    import os
    import subprocess
    import sys

    env = {key: item for key, item in os.environ.items() if key != "LANGUAGE_CODE"}
    if value is not None:
        env["LANGUAGE_CODE"] = value
    code = "from django.conf import settings; print(settings.LANGUAGE_CODE)"
    return subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=django_settings.BASE_DIR,
                          env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"}, capture_output=True, text=True)


def test_language_code_defaults_to_azerbaijani_and_is_read_from_the_environment():
    assert _language_code_with(None).stdout.strip().splitlines()[-1] == "az"
    assert _language_code_with("en").stdout.strip().splitlines()[-1] == "en"
    assert _language_code_with(" ").stdout.strip().splitlines()[-1] == "az"


def test_an_unknown_language_code_stops_the_start():
    for value in ("fr", "az-AZ", "EN"):  # (an environment cannot carry NUL, so that case cannot arise)
        result = _language_code_with(value)
        assert result.returncode != 0 and "LANGUAGE_CODE" in result.stderr, value
