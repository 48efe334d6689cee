"""Deny by default: every URL needs a login, and a login that is not an active member sees nothing."""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import login

# Sample arguments for each URL pattern's converters, by name.
SAMPLE_KWARGS = {"slug": "concept", "pk": 1, "number": 1, "kind": "modify", "uidb64": "MQ", "token": "x-y"}
# The language switcher too: the sign-in page offers it (tests/test_interface_language.py).
PUBLIC = {"login", "password_reset", "password_reset_confirm", "invite_accept", "choose_language"}


def all_url_names():
    """(name, converters) of every named URL outside the admin; converters include those of an include() above
    it, such as the slug of d/<slug:slug>/."""
    names = []

    def walk(patterns, converters):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, {**converters, **pattern.pattern.converters})
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append((pattern.name, {**converters, **pattern.pattern.converters}))

    walk(get_resolver().url_patterns, {})
    return names


def sample_url(name, converters):
    return reverse(name, kwargs={key: SAMPLE_KWARGS[key] for key in converters})


@pytest.mark.parametrize(
    "name, converters", [pytest.param(*p, id=p[0]) for p in all_url_names() if p[0] not in PUBLIC]
)
def test_every_url_sends_a_stranger_to_the_login_page(client, db, name, converters):
    url = sample_url(name, converters)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302, f"{method.upper()} {url}"
        assert response["Location"].startswith(reverse("login")), f"{method.upper()} {url}"


def test_admin_site_requires_login(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_outsider_account_sees_nothing(client, outsider, concept):
    login(client, outsider)
    for url in (reverse("document_list"), concept.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 403
        assert "not a member of the working group" in response.text
        assert "Security Concept" not in response.text


def test_deactivated_member_is_locked_out_at_once(client, drafter, concept):
    login(client, drafter)
    assert client.get(concept.get_absolute_url()).status_code == 200
    drafter.user.is_active = False
    drafter.user.save()
    response = client.get(concept.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_deactivated_member_cannot_log_in(client, deactivated):
    from .builders import PASSWORD

    response = client.post(reverse("login"), {"username": deactivated.user.username, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_unknown_document_is_a_plain_404_without_traceback(as_drafter, settings):
    settings.DEBUG = False
    response = as_drafter.get(reverse("document_detail", args=["no-such-document"]))
    assert response.status_code == 404
    assert "Traceback" not in response.text and "There is no such page." in response.text


def test_clause_of_another_document_is_not_reachable_through_this_one(as_drafter, concept):
    from .builders import make_document

    other = make_document(10, slug="other")
    foreign = other.clauses.first()
    response = as_drafter.get(reverse("clause_detail", args=[concept.slug, foreign.pk]))
    assert response.status_code == 404
