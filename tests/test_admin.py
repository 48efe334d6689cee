"""The Django admin cannot walk around the app's rules: it is read-only for every model, opens only to admin
members whose account is marked staff, shows no more than the app would, and no account is made a superuser.

Every admin page for every persona is in tests/test_permissions.py (ADMIN_TABLE), with empty POSTs; here the
attacks are well-formed: the forms' own data, the "delete selected" action, a revert from history."""
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.urls import reverse

from drafting.models import Clause, Member, Milestone

from .amendment_builders import modify
from .builders import make_member
from .conftest import login
from .test_permissions import SECRET, readable, world  # noqa: F401  (world is a fixture)


def staff(member):
    member.user.is_staff = True
    member.user.save(update_fields=["is_staff"])
    return member


def as_staff(client, member):
    return login(client, staff(member))


def _url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def _form_data(record):
    """What the record's change form would post: its own values, every field filled."""
    data = {}
    for name, value in model_to_dict(record).items():
        if value is None:
            continue
        data[name] = [getattr(v, "pk", v) for v in value] if isinstance(value, list) else getattr(value, "pk", value)
    return data


def _state(model):
    return list(model._default_manager.order_by("pk").values_list())


def test_no_admin_model_can_be_added_changed_or_deleted_even_with_its_own_form_data(client, world):  # noqa: F811
    login(client, world.staff_admin)
    wrong = []
    for model, record in world.admin_objects.items():
        before = _state(model)
        data = _form_data(record)
        attempts = [
            ("add", client.post(_url(model, "add"), data)),
            ("change", client.post(_url(model, "change", record.pk), data)),
            ("delete page", client.get(_url(model, "delete", record.pk))),
            ("delete", client.post(_url(model, "delete", record.pk), {"post": "yes"})),
        ]
        wrong += [f"{model._meta.label} {what}: {r.status_code}" for what, r in attempts if r.status_code != 403]
        client.post(_url(model, "changelist"), {"action": "delete_selected", "_selected_action": [record.pk],
                                                "post": "yes", "index": 0})
        if _state(model) != before:
            wrong.append(f"{model._meta.label}: changed")
    assert not wrong, "\n".join(wrong)


def test_delete_selected_is_offered_nowhere_in_the_admin(world, rf):  # noqa: F811
    assert "delete_selected" not in dict(admin.site.actions)
    request = rf.get("/admin/")
    request.user, request.member = world.staff_admin.user, world.staff_admin
    for model_admin in admin.site._registry.values():
        assert not model_admin.get_actions(request), type(model_admin).__name__


def test_the_last_admin_cannot_be_demoted_or_deactivated_through_the_admin(client, db):
    aysel = make_member("admin_aysel", Member.Role.DRAFTER, full_name="Aysel Nəsirova")
    aysel.edit(role=Member.Role.ADMIN)  # her first version was a drafter's: a revert would demote her
    as_staff(client, aysel)
    user = aysel.user
    first_version = aysel.history.earliest("history_date").history_id
    refused = [
        client.post(_url(Member, "change", aysel.pk), {**_form_data(aysel), "role": Member.Role.DRAFTER}),
        client.post(_url(Member, "simple_history", aysel.pk, first_version), _form_data(aysel)),
        client.post(_url(Member, "delete", aysel.pk), {"post": "yes"}),
        client.post(_url(get_user_model(), "change", user.pk),
                    {"username": user.username, "email": user.email, "is_active": "", "is_staff": "", "groups": []}),
        client.post(_url(get_user_model(), "delete", user.pk), {"post": "yes"}),
        client.post(reverse("admin:auth_user_password_change", args=[user.pk]),
                    {"password1": "a-new-Pa55word", "password2": "a-new-Pa55word"}),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    aysel.refresh_from_db()
    aysel.user.refresh_from_db()
    assert aysel.role == Member.Role.ADMIN and aysel.user.is_active and aysel.user.is_staff
    assert not aysel.user.is_superuser
    assert aysel.user.password == user.password


def test_no_account_can_be_made_superuser_or_staff_through_the_admin(client, admin_member, drafter):
    as_staff(client, admin_member)
    user = drafter.user
    data = {"username": user.username, "email": user.email, "is_active": "on", "is_staff": "on",
            "is_superuser": "on", "date_joined_0": "2026-01-01", "date_joined_1": "10:00"}
    assert client.post(_url(get_user_model(), "change", user.pk), data).status_code == 403
    assert client.post(_url(get_user_model(), "add"), {"username": "root", "password1": "Xy-12345678",
                                                       "password2": "Xy-12345678"}).status_code == 403
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser
    assert not get_user_model().objects.filter(username="root").exists()


def test_a_clauses_text_cannot_be_rewritten_through_the_admin(client, admin_member, drafter, reviewer, concept):
    clause = concept.clauses.get(number="4.1.1")
    modify(drafter, clause, body="The text as amended.", submit=True).review(reviewer, "approve")
    clause.refresh_from_db()
    versions = clause.history.count()
    original = clause.history.earliest("history_date")
    as_staff(client, admin_member)
    rewritten = {**_form_data(clause), "body": "Rewritten without an amendment."}
    assert client.post(_url(Clause, "change", clause.pk), rewritten).status_code == 403
    # The version page's form, posted back, would save that version over the clause: a silent revert.
    assert client.post(_url(Clause, "simple_history", clause.pk, original.history_id),
                       _form_data(clause)).status_code == 403
    assert client.post(_url(Clause, "add"), {**rewritten, "position": 99}).status_code == 403
    clause.refresh_from_db()
    assert clause.body == "The text as amended." and clause.number == "4.1.1"
    assert clause.history.count() == versions
    assert Clause.objects.filter(document=concept).count() == concept.clauses.count()


def test_the_2007_original_milestone_cannot_be_deleted_through_the_admin(client, admin_member, concept):
    milestone = concept.milestones.get(name="2007 original")
    as_staff(client, admin_member)
    assert client.get(_url(Milestone, "delete", milestone.pk)).status_code == 403
    assert client.post(_url(Milestone, "delete", milestone.pk), {"post": "yes"}).status_code == 403
    client.post(_url(Milestone, "changelist"), {"action": "delete_selected", "_selected_action": [milestone.pk],
                                                "post": "yes", "index": 0})
    changed = {**_form_data(milestone), "name": "Renamed in the admin", "moment_0": "2001-01-01", "moment_1": "00:00"}
    assert client.post(_url(Milestone, "change", milestone.pk), changed).status_code == 403
    milestone.refresh_from_db()
    assert milestone.name == "2007 original"


def test_only_active_admin_members_marked_staff_open_the_admin(client, admin_member, second_reviewer):
    Member.objects.filter(pk=second_reviewer.pk).update(role=Member.Role.ADMIN)  # a second admin, to demote the first
    login(client, admin_member)
    assert client.get("/admin/").status_code == 403  # an admin, but not marked staff
    staff(admin_member)
    assert client.get("/admin/").status_code == 200
    # Leaving the admin role ends admin access (Member.edit clears the staff flag), as deactivating does.
    admin_member.edit(role=Member.Role.REVIEWER)
    assert client.get("/admin/").status_code == 403
    admin_member.user.refresh_from_db()
    assert not admin_member.user.is_staff


def test_malformed_admin_addresses_answer_not_found(client, admin_member, concept):
    as_staff(client, admin_member)
    clause = concept.clauses.first()
    for url in (_url(Clause, "simple_history", clause.pk, "abc"), _url(Clause, "simple_history", "abc", 1),
                _url(Clause, "simple_history", clause.pk, 10**9), _url(Clause, "history", "abc")):
        assert client.get(url).status_code == 404, url


def test_the_admins_own_sign_in_form_is_never_shown(client, admin_member):
    staff(admin_member)
    response = client.get("/admin/login/?next=/admin/drafting/clause/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/admin/drafting/clause/"
    # Posting credentials to it signs nobody in: sign-in happens on the app's page, throttled and audited.
    client.post("/admin/login/", {"username": admin_member.user.username, "password": "correct-horse-battery-staple"})
    assert client.get("/admin/").status_code == 302


def test_the_admin_shows_no_more_of_another_members_draft_than_the_app(client, world):  # noqa: F811
    from drafting.models import Amendment, Comment

    login(client, world.staff_admin)
    draft, comment = world.draft, world.draft_comment
    # Its rationale is searchable in the list of amendments, but the search finds only what the list shows.
    assert client.get(_url(Amendment, "changelist"), {"q": SECRET}).context["cl"].result_count == 0
    pages = [
        _url(Amendment, "changelist"),
        _url(Comment, "changelist"), _url(Amendment, "change", draft.pk), _url(Amendment, "history", draft.pk),
        _url(Comment, "change", comment.pk), _url(Comment, "history", comment.pk),
        *[_url(Amendment, "simple_history", draft.pk, v) for v in draft.history.values_list("history_id", flat=True)],
        *[_url(Comment, "simple_history", comment.pk, v) for v in comment.history.values_list("history_id", flat=True)],
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code in (200, 302, 404), page
        assert SECRET not in readable(response), page
    assert client.get(_url(Amendment, "history", draft.pk)).status_code == 404
    # The same pages show the drafter's submitted amendment: the rule hides the draft, not the records.
    assert client.get(_url(Amendment, "history", world.amendment.pk)).status_code == 200


@pytest.mark.django_db
def test_load_seeds_makes_no_superuser():
    call_command("load_seeds")
    User = get_user_model()
    assert not User.objects.filter(is_superuser=True).exists()
    assert list(User.objects.filter(is_staff=True).values_list("username", flat=True)) == ["admin"]
    assert User.objects.get(username="admin").member.role == Member.Role.ADMIN


def test_create_member_makes_no_superuser_and_staff_only_when_asked_for_an_admin(db, capsys):
    call_command("create_member", "nigar@example.test", "Nigar Hüseynova", "--role", "admin")
    call_command("create_member", "elvin@example.test", "Elvin Quliyev", "--role", "admin", "--staff")
    with pytest.raises(CommandError, match="Only an admin"):
        call_command("create_member", "kamal@example.test", "Kamal Rzayev", "--role", "drafter", "--staff")
    flags = dict(get_user_model().objects.values_list("username", "is_staff"))
    assert flags == {"nigar@example.test": False, "elvin@example.test": True}
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_queued_emails_are_not_shown_in_the_admin():
    from django_tasks_db.models import DBTaskResult

    assert not admin.site.is_registered(DBTaskResult)
