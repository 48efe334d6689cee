import os
import uuid

import pytest
from django.conf import settings as django_settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_otp import DEVICE_ID_SESSION_KEY

from drafting import two_factor
from drafting.models import Member
from drafting.models.members import member_of
from drafting.models.sessions import SEEN_KEY, SessionRecord
from drafting.seeds import CONCEPT_SLUG, load_concept

from .builders import enrolled_device, make_member, make_outsider


@pytest.fixture
def drafter(db):
    return make_member("drafter_dina", Member.Role.DRAFTER, full_name="Dinara Əliyeva")


@pytest.fixture
def second_drafter(db):
    return make_member("drafter_samir", Member.Role.DRAFTER, full_name="Samir Quliyev")


@pytest.fixture
def reviewer(db):
    return make_member("reviewer_rauf", Member.Role.REVIEWER, full_name="Rauf Həsənov")


@pytest.fixture
def second_reviewer(db):
    return make_member("reviewer_leyla", Member.Role.REVIEWER, full_name="Leyla Məmmədova")


@pytest.fixture
def admin_member(db):
    return make_member("admin_aysel", Member.Role.ADMIN, full_name="Aysel Nəsirova")


@pytest.fixture
def deactivated(db):
    return make_member("former_farid", Member.Role.REVIEWER, active=False, full_name="Farid Former")


@pytest.fixture
def outsider(db):
    return make_outsider()


@pytest.fixture
def concept(db):
    load_concept()
    from drafting.models import Document

    return Document.objects.get(slug=CONCEPT_SLUG)


ROLE_ON_EVERY_DOCUMENT = {"drafter": "drafter", "reviewer": "reviewer", "admin": "reviewer"}


@pytest.fixture(autouse=True)
def _everyone_on_every_document(request):
    """As the upgrade migration (0007) does for an existing deployment: every member is on every document, in
    the role matching their deployment role, so the tests of other rules need not say who is on what. The tests
    of per-document access (`@pytest.mark.need_to_know`) start from deny by default instead."""
    if request.node.get_closest_marker("need_to_know"):
        yield
        return
    from django.db.models.signals import post_save

    from drafting.models import Document, DocumentAccess

    def document_saved(sender, instance, created, **kwargs):
        if created:
            for member in Member.objects.all():
                DocumentAccess.objects.get_or_create(
                    document=instance, member=member, defaults={"role": ROLE_ON_EVERY_DOCUMENT[member.role]}
                )

    def member_saved(sender, instance, **kwargs):
        role = ROLE_ON_EVERY_DOCUMENT[instance.role]
        for document in Document.objects.all():
            DocumentAccess.objects.update_or_create(document=document, member=instance, defaults={"role": role})
        instance.__dict__.pop("_roles_on_documents", None)

    post_save.connect(document_saved, sender=Document, dispatch_uid="everyone_on_new_document")
    post_save.connect(member_saved, sender=Member, dispatch_uid="every_document_for_member")
    yield
    post_save.disconnect(sender=Document, dispatch_uid="everyone_on_new_document")
    post_save.disconnect(sender=Member, dispatch_uid="every_document_for_member")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every persona has a password; the production hasher would spend most of the suite's time hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _new_key_prefix(settings):
    settings.CACHES = {name: {**config, "KEY_PREFIX": uuid.uuid4().hex} for name, config in settings.CACHES.items()}


@pytest.fixture(autouse=True)
def _own_cache(settings):
    # Cached fragments are keyed by history ids, which another test (rolled back) hands out again with other
    # text: each test gets its own key prefix, so none reads another's fragments (in local memory or Redis).
    _new_key_prefix(settings)


@pytest.fixture
def empty_cache(settings):
    """Call it to start again from an empty fragment cache (a new key prefix): a page's first request after a
    change does more queries than the next ones, so query counts are compared cache state for cache state."""
    return lambda: _new_key_prefix(settings)


def login(client, member_or_user):
    """Sign in without the form, as a member who completed the sign-in: for a member who gives a code (their
    role requires it, or they enrolled), the session is marked verified by their authenticator app, as
    django-otp's own login does after a correct code. client.login() cannot be used: it authenticates without
    a request, which the django-axes backend refuses. Tests of the sign-in itself post to the login page."""
    user = getattr(member_or_user, "user", member_or_user)
    client.force_login(user)
    session = client.session
    if two_factor.required_for(member_of(user)) or two_factor.is_enrolled(user):
        session[DEVICE_ID_SESSION_KEY] = enrolled_device(user).persistent_id
    # The sign-in request records where the member is signed in (SessionRecordMiddleware); so does this.
    SessionRecord.objects.update_or_create(session_key=session.session_key, defaults={
        "user": user, "user_agent": "Test client", "ip_address": "127.0.0.1"})
    session[SEEN_KEY] = timezone.now().timestamp()
    session.save()
    # The CSRF cookie the sign-in page's form gave the browser: pages are cached per browser (drafting/page_cache.py),
    # so without it every test's first page would be worked out apart from the cache, its second one not.
    if django_settings.CSRF_COOKIE_NAME not in client.cookies:
        client.cookies[django_settings.CSRF_COOKIE_NAME] = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    return client


@pytest.fixture
def as_drafter(client, drafter):
    return login(client, drafter)


@pytest.fixture
def as_reviewer(client, reviewer):
    return login(client, reviewer)


@pytest.fixture
def as_admin(client, admin_member):
    return login(client, admin_member)


# --- database-specific tests ---------------------------------------------------------------------------
def pytest_collection_modifyitems(config, items):
    """Tests marked postgresql need row locks: they run in the PostgreSQL pass and are deselected (not
    skipped) on SQLite, where select_for_update does nothing. CI runs both passes."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    selected, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgresql") else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


# --- CI guard and summary -------------------------------------------------------------------------------
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skip is a failure: a missing browser or database must not pass unnoticed."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which is not allowed: {report.longrepr}"


def pytest_terminal_summary(terminalreporter):
    from django.db import connection

    passed = [r for r in terminalreporter.stats.get("passed", []) if "tests/browser/" in r.nodeid]
    failed = [r for r in terminalreporter.stats.get("failed", []) if "tests/browser/" in r.nodeid]
    terminalreporter.write_line(
        f"database: {connection.vendor}; browser tests (Chromium): {len(passed)} passed, {len(failed)} failed"
    )


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Queued tasks (email) run when enqueued, in the test's process; the database queue and its worker have
    # their own tests (tests/test_email_tasks.py).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _english_interface(request, settings):
    """The tests of other rules read the interface in English, whatever the deployment's default. Tests of the
    Azerbaijani interface (`@pytest.mark.azerbaijani`) choose their language themselves."""
    if request.node.get_closest_marker("azerbaijani"):
        yield
        return
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def read_in(client, language):
    """Choose the text language the signed-in reader reads documents in, as `?text=` on any reading page does
    (remembered in the session, drafting/languages.py). The seeded Concept is Azerbaijani authoritative with its
    Azerbaijani text not yet entered: the tests of other rules that read its text read its English translation."""
    from drafting.languages import READING_KEY

    session = client.session
    session[READING_KEY] = language
    session.save()
    return client


def english_only(document):
    """`document` declared English-only (its Azerbaijani headings kept, as before it declared a translation): for
    the tests of a single-language document's files, whose bilingual forms have tests of their own
    (tests/test_versions_languages.py). The seeded Concept is Azerbaijani authoritative with English beside it."""
    from drafting.models.history import attribute

    document.authoritative_language, document.translation_language = "en", ""
    attribute(document, reason="authoritative language changed and translation language changed")
    document.save()
    return document
