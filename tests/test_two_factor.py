"""Two-factor sign-in: enrolment with an authenticator app, backup codes, the code step after the password,
the throttle, the roles that must use it, and an admin's audited reset.

Codes are computed here from the device's secret, as the member's app would (tests/builders.code_for).
"""
import re
from base64 import b32decode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from drafting import two_factor
from drafting.audit_trail import entries
from drafting.models import Member, SignInEvent

from . import test_permissions
from .builders import PASSWORD, code_for, enrolled_device
from .conftest import login
from .test_permissions import TABLE

world = test_permissions.world


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def give_code(client, code, next_url=""):
    return client.post(reverse("two_factor_verify"), {"code": code, "next": next_url})


def at_code_step(client, member):
    """Signed in with the right password: the code step comes next."""
    enrolled_device(member.user)
    assert sign_in(client, member.user.username).status_code == 302
    response = client.get(reverse("document_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
    return enrolled_device(member.user)


def refusal(response):
    """What a refused code's page says, without the parts that change from one page to the next."""
    text = re.sub(r"\b[A-Za-z0-9]{64}\b", "(csrf token)", response.text)
    # The language switcher returns to the page it is on.
    return re.sub(r'(<input type="hidden" name="next" value=")[^"]*(">)', r"\1(this page)\2", text)


# --- enrolment -------------------------------------------------------------------------------------------
def test_enrolment_with_a_code_from_the_app_turns_two_factor_on_and_shows_ten_backup_codes(client, drafter):
    login(client, drafter)
    page = client.get(reverse("two_factor_enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=drafter.user, confirmed=False)
    # The secret as typed into an app, and the QR code as an SVG image (the CSP allows data: images).
    secret = re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', page.text).group(1).replace(" ", "")
    assert b32decode(secret) == device.bin_key
    assert 'src="data:image/svg+xml;base64,' in page.text
    code = f"{totp(device.bin_key):06d}"
    done = client.post(reverse("two_factor_enrol"), {"code": code})
    assert done.status_code == 200 and "Your backup codes" in done.text
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed and two_factor.is_enrolled(drafter.user)
    # This session passed the second step: the documents open.
    assert client.get(reverse("document_list")).status_code == 200


def test_a_wrong_code_does_not_turn_two_factor_on(client, drafter):
    login(client, drafter)
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=drafter.user)
    wrong = f"{(totp(device.bin_key) + 1) % 1000000:06d}"
    response = client.post(reverse("two_factor_enrol"), {"code": wrong})
    assert response.status_code == 200 and str(two_factor.CODE_REFUSED) in response.text
    assert not two_factor.is_enrolled(drafter.user)


def test_reloading_the_enrolment_page_keeps_the_same_secret(client, drafter):
    login(client, drafter)
    first = client.get(reverse("two_factor_enrol")).text
    second = client.get(reverse("two_factor_enrol")).text
    secret = re.compile(r'<code id="secret">([A-Z2-7 ]+)</code>')
    assert secret.search(first).group(1) == secret.search(second).group(1)


def test_a_member_at_the_code_step_cannot_enrol_another_app_instead(client, reviewer):
    at_code_step(client, reviewer)
    response = client.get(reverse("two_factor_enrol"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_verify")
    assert TOTPDevice.objects.filter(user=reviewer.user).count() == 1


# --- required roles --------------------------------------------------------------------------------------
def test_required_roles_are_admins_and_reviewers_by_default():
    assert settings.TWO_FACTOR_ROLES == ["admin", "reviewer"]


def test_a_drafter_signs_in_with_the_password_alone(client, drafter):
    assert sign_in(client, "drafter_dina").status_code == 302
    assert client.get(reverse("document_list")).status_code == 200


def test_a_drafter_who_enrolled_gives_a_code_too(client, drafter):
    device = at_code_step(client, drafter)
    assert give_code(client, code_for(device)).status_code == 302
    assert client.get(reverse("document_list")).status_code == 200


@pytest.mark.parametrize("persona", ["reviewer", "admin"])
def test_a_required_role_that_has_not_enrolled_is_sent_to_enrolment_from_every_url(world, persona):
    client = Client()
    client.force_login(getattr(world, persona).user)  # the password step only: not the test personas' login()
    enrol = reverse("two_factor_enrol")
    wrong = []
    for name, row in TABLE.items():
        if name == "logout":
            continue  # allowed, and asked last below
        if name == "choose_language":
            continue  # allowed: the enrolment page is read in either language (tests/test_interface_language.py)
        kwargs = row.kwargs(world)
        url = reverse(name, args=kwargs) if isinstance(kwargs, list) else reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if name == "two_factor_enrol" and method == "get":
                ok = response.status_code == 200
            elif name == "two_factor_enrol" or name == "two_factor_verify":
                ok = response.status_code in (200, 302) and not TOTPDevice.objects.filter(
                    user=getattr(world, persona).user, confirmed=True).exists()
            else:
                ok = response.status_code == 302 and response["Location"].startswith(enrol)
            if not ok:
                wrong.append(f"{method.upper()} {name}: {response.status_code} {response.get('Location', '')}")
    for url in ("/admin/", "/admin/drafting/member/"):
        response = client.get(url)
        if not (response.status_code == 302 and response["Location"].startswith(enrol)):
            wrong.append(f"GET {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_enrolled_member_before_the_code_reaches_nothing_but_the_code_step(client, reviewer, concept):
    at_code_step(client, reviewer)
    for name, kwargs in (("document_list", {}), ("profile", {}), ("session_list", {}), ("backup_codes", {}),
                         ("document_detail", {"slug": concept.slug}), ("login", {})):
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify")), name
    response = client.post(reverse("backup_codes"))
    assert response.status_code == 302 and not StaticToken.objects.filter(device__user=reviewer.user).exists()


def test_the_setting_names_the_roles_that_must_use_it(client, reviewer, settings):
    settings.TWO_FACTOR_ROLES = ["admin"]
    assert sign_in(client, "reviewer_rauf").status_code == 302
    assert client.get(reverse("document_list")).status_code == 200


# --- the code step ---------------------------------------------------------------------------------------
def test_a_reviewer_signs_in_with_the_password_then_a_code(client, reviewer):
    device = at_code_step(client, reviewer)
    response = give_code(client, code_for(device), next_url=reverse("inbox"))
    assert response.status_code == 302 and response["Location"] == reverse("inbox")
    assert client.get(reverse("document_list")).status_code == 200


def test_the_header_at_the_code_step_offers_only_signing_out(client, admin_member):
    """Before the code, nothing but signing out works: the header shows no Members, Audit, Documents, Inbox or
    profile link, which would only lead back to the code step."""
    device = at_code_step(client, admin_member)
    page = client.get(reverse("two_factor_verify")).text
    header = page[page.index('<header'):page.index('</header>')]
    for name in ("member_list", "audit_log", "profile", "inbox"):
        assert f'href="{reverse(name)}"' not in header, name
    assert '<nav class="site-nav"' not in header and admin_member.full_name not in header
    assert f'action="{reverse("logout")}"' in header and "Sign out" in header
    assert give_code(client, code_for(device)).status_code == 302
    header = client.get(reverse("document_list")).text
    assert f'href="{reverse("member_list")}"' in header and f'href="{reverse("audit_log")}"' in header


def test_the_code_step_never_sends_the_member_to_another_site(client, reviewer):
    device = at_code_step(client, reviewer)
    response = give_code(client, code_for(device), next_url="https://evil.example/")
    assert response["Location"] == reverse("document_list")


def test_a_replayed_code_is_refused(reviewer):
    first = Client()
    device = at_code_step(first, reviewer)
    code = code_for(device)
    assert give_code(first, code).status_code == 302
    second = Client()
    at_code_step(second, reviewer)
    replayed = give_code(second, code)
    assert replayed.status_code == 200 and str(two_factor.CODE_REFUSED) in replayed.text
    assert second.get(reverse("document_list")).status_code == 302


def test_a_refused_code_gets_the_same_answer_whatever_the_reason(client, reviewer, settings):
    settings.AXES_FAILURE_LIMIT = 10  # seven refusals in a row, all below the lockout
    device = at_code_step(client, reviewer)
    used = code_for(device)
    assert give_code(client, used).status_code == 302
    client.post(reverse("logout"))
    at_code_step(client, reviewer)
    wrong = f"{(int(used) + 1) % 1000000:06d}"
    answers = [refusal(give_code(client, code)) for code in
               (wrong, used, "12345", "abcdefgh", "<script>alert(1)</script>", "1" * 20, "")]
    assert all(answer == answers[0] for answer in answers)
    assert str(two_factor.CODE_REFUSED) in answers[0]


def test_backup_codes_work_once_each(reviewer):
    enrolled_device(reviewer.user)
    codes = two_factor.replace_backup_codes(reviewer.user)
    first = Client()
    at_code_step(first, reviewer)
    assert give_code(first, codes[0]).status_code == 302
    again = Client()
    at_code_step(again, reviewer)
    assert give_code(again, codes[0]).status_code == 200
    assert two_factor.backup_codes_left(reviewer.user) == 9


def test_replacing_backup_codes_stops_the_old_ones_working(client, reviewer):
    enrolled_device(reviewer.user)
    old = two_factor.replace_backup_codes(reviewer.user)
    login(client, reviewer)
    page = client.post(reverse("backup_codes"))
    assert page.status_code == 200, page.get("Location")
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert two_factor.backup_codes_left(reviewer.user) == 10
    with_new = Client()
    at_code_step(with_new, reviewer)
    assert give_code(with_new, new[1]).status_code == 302
    with_old = Client()
    at_code_step(with_old, reviewer)
    assert give_code(with_old, old[1]).status_code == 200


# --- the throttle ----------------------------------------------------------------------------------------
def test_wrong_codes_count_towards_the_sign_in_throttle(client, reviewer):
    device = at_code_step(client, reviewer)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert give_code(client, "000000").status_code == 200
    locked = give_code(client, "000000")
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
    assert "_auth_user_id" not in client.session  # the half-finished sign-in ends
    # The password step now refuses the right password too, with the same page.
    again = sign_in(client, "reviewer_rauf")
    assert again.status_code == 429 and "Too many failed sign-ins" in again.text
    assert SignInEvent.objects.filter(username="reviewer_rauf", kind=SignInEvent.Kind.FAILED).count() == \
        settings.AXES_FAILURE_LIMIT - 1
    assert device.pk  # the device stays: the lockout passes with time


def test_a_locked_out_account_is_refused_at_the_code_step_even_with_the_right_code(client, reviewer):
    device = at_code_step(client, reviewer)
    # Meanwhile someone else fails the password for this account until it locks.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "reviewer_rauf", "wrong password")
    refused = give_code(client, code_for(device))
    locked_page = sign_in(Client(), "reviewer_rauf")
    assert refused.status_code == locked_page.status_code == 429
    assert refusal(refused) == refusal(locked_page)
    assert "_auth_user_id" not in client.session


def test_wrong_codes_count_across_password_entries(reviewer):
    """A correct password forgets nothing: two wrong codes after each of three correct password entries lock
    the account at the limit, as five wrong codes in one go would."""
    limit = settings.AXES_FAILURE_LIMIT
    answers = []
    while len(answers) < limit:
        client = Client()
        at_code_step(client, reviewer)
        for _ in range(min(2, limit - len(answers))):
            answers.append(give_code(client, "000000").status_code)
    assert answers == [200] * (limit - 1) + [429]
    assert sign_in(Client(), "reviewer_rauf").status_code == 429


def test_wrong_passwords_and_wrong_codes_count_together(reviewer):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 2):
        assert sign_in(Client(), "reviewer_rauf", "wrong password").status_code == 200
    client = Client()
    at_code_step(client, reviewer)
    assert give_code(client, "000000").status_code == 200
    assert give_code(client, "000000").status_code == 429


def test_a_locked_account_answers_alike_whether_the_password_was_right(reviewer):
    client = Client()
    at_code_step(client, reviewer)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        give_code(client, "000000")
    right, wrong = sign_in(Client(), "reviewer_rauf"), sign_in(Client(), "reviewer_rauf", "wrong password")
    assert right.status_code == wrong.status_code == 429
    assert refusal(right) == refusal(wrong)


def test_a_completed_sign_in_forgets_the_failures(reviewer):
    from axes.models import AccessAttempt

    limit = settings.AXES_FAILURE_LIMIT
    sign_in(Client(), "reviewer_rauf", "wrong password")
    client = Client()
    device = at_code_step(client, reviewer)
    for _ in range(limit - 2):
        give_code(client, "000000")
    assert AccessAttempt.objects.filter(username="reviewer_rauf").exists()  # the password alone kept them
    device.refresh_from_db()
    device.throttle_reset()  # the app's own back-off after wrong codes (seconds) has passed
    assert give_code(client, code_for(device)).status_code == 302
    assert not AccessAttempt.objects.filter(username="reviewer_rauf").exists()
    # A fresh allowance: limit - 1 wrong codes do not lock.
    again = Client()
    at_code_step(again, reviewer)
    for _ in range(limit - 1):
        assert give_code(again, "000000").status_code == 200


def test_a_password_alone_completes_a_drafters_sign_in_and_forgets_the_failures(client, drafter):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(Client(), "drafter_dina", "wrong password")
    assert sign_in(client, "drafter_dina").status_code == 302
    assert not AccessAttempt.objects.filter(username="drafter_dina").exists()


def test_enrolling_completes_the_sign_in_and_forgets_the_failures(client, reviewer):
    from axes.models import AccessAttempt

    sign_in(Client(), "reviewer_rauf", "wrong password")
    assert sign_in(client, "reviewer_rauf").status_code == 302
    assert AccessAttempt.objects.filter(username="reviewer_rauf").exists()
    client.get(reverse("two_factor_enrol"))
    device = two_factor.app_device(reviewer.user, confirmed=False)
    assert client.post(reverse("two_factor_enrol"), {"code": code_for(device)}).status_code == 200
    assert not AccessAttempt.objects.filter(username="reviewer_rauf").exists()


# --- an admin's reset ------------------------------------------------------------------------------------
def test_an_admin_resets_a_members_second_factor_and_it_is_audited(client, admin_member, reviewer):
    enrolled_device(reviewer.user)
    two_factor.replace_backup_codes(reviewer.user)
    theirs = login(Client(), reviewer)
    login(client, admin_member)
    response = client.post(reverse("member_two_factor_reset", args=[reviewer.pk]))
    assert response.status_code == 302
    assert not two_factor.is_enrolled(reviewer.user) and two_factor.backup_codes_left(reviewer.user) == 0
    # Their sessions end; at the next sign-in they enrol again.
    assert theirs.get(reverse("document_list"))["Location"].startswith(reverse("login"))
    latest = reviewer.history.latest("history_date")
    assert latest.history_user == admin_member.user and "two-factor sign-in reset" in latest.history_change_reason
    assert any("two-factor sign-in reset" in (entry.detail + entry.label) for entry in entries())
    audit = client.get(reverse("audit_log"))
    assert "two-factor sign-in reset" in audit.text


def test_only_admins_reset_a_second_factor(client, reviewer, second_reviewer):
    enrolled_device(second_reviewer.user)
    login(client, reviewer)
    assert client.post(reverse("member_two_factor_reset", args=[second_reviewer.pk])).status_code == 403
    assert two_factor.is_enrolled(second_reviewer.user)


def test_the_admin_never_shows_authenticator_secrets():
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice

    assert not admin.site.is_registered(TOTPDevice) and not admin.site.is_registered(StaticDevice)


def test_test_personas_of_required_roles_sign_in_verified(client, reviewer):
    # The one helper every test signs in with: a required role gets a verified session, not the code step.
    login(client, reviewer)
    assert client.get(reverse("document_list")).status_code == 200
    assert Member.objects.get(pk=reviewer.pk).role in settings.TWO_FACTOR_ROLES
