"""Bad input gets a clear answer, never a 500: every URL, every query parameter and form field it reads.

The table walks every URL pattern of tests/test_permissions.py's TABLE as an active admin and as a drafter.
It first asks each URL plainly (GET and POST) and records which query-string and form keys the view reads
(so a parameter added later is fuzzed without anyone listing it), then sends each of those keys, and every
parameter name any view of the app uses, each of the bad values below (posted fields as the persona whose
post the view reads: the admin, the drafter, or for the sign-in page someone signed out). Run on SQLite and on PostgreSQL: NUL
in a string and integers beyond bigint fail only on PostgreSQL.
"""
from copy import deepcopy
from datetime import date, time

import pytest
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone

from drafting import params

from . import test_permissions
from .test_permissions import TABLE, client_for

world = test_permissions.world  # the permission table's fixture: a persona of each kind and their objects

NUL = "\x00"
BAD_VALUES = {
    "superscript two": "²",
    "NUL": NUL,
    "minus one": "-1",
    "30 digits": "9" * 30,
    "last day of 9999": "9999-12-31",
    "first day of year 1": "0001-01-01",
    "30 February": "2026-02-30",
    "vertical tab": "a\x0bb",
    "a milestone numbered ²": "m²",
}
# Every query parameter the app's views read (and a few the brief names that none reads yet): sent together,
# so a parameter a view reads only after another (as_of after at) is reached too.
KNOWN_PARAMETERS = (
    "q", "sort", "state", "clause", "tag", "author", "a", "base", "page", "placement", "from", "to", "since",
    "until", "kind", "who", "as_of", "at", "at_at", "old", "new", "old_at", "new_at", "view", "show", "next", "text",
    "lines", "part",
)
PERSONAS = ("admin", "drafter")


class Recorder:
    """Which keys a view reads from the query string and from the posted form (reads of a request's own,
    immutable QueryDict count; building one, or a view's mutable copy, does not)."""

    def __init__(self, monkeypatch):
        self.keys = {"get": set(), "post": set()}
        recorder = self
        for name in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(QueryDict, name)

            def reading(self, key, *args, _original=original, **kwargs):
                if not self._mutable:
                    recorder.keys["post" if getattr(self, "from_body", False) else "get"].add(key)
                return _original(self, key, *args, **kwargs)

            monkeypatch.setattr(QueryDict, name, reading)
        load = HttpRequest._load_post_and_files

        def loading(request):
            load(request)
            request._post.from_body = True

        monkeypatch.setattr(HttpRequest, "_load_post_and_files", loading)

    def clear(self):
        for keys in self.keys.values():
            keys.clear()


def ask(persona, world, method, url, data=None):
    """One request that may fail (a 500 is answered, not raised), rolled back afterwards with the client's
    cookies (the signed-in client is shared by the test: see test_permissions.ask)."""
    client = client_for(persona, world, raise_request_exception=False)
    cookies = deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def _failures(responses):
    return [f"  {label}: {response.status_code}" for label, response in responses if response.status_code >= 500]


def _read_by(recorder, answers, label, *request):
    """Ask (keeping the answer) and return the keys the view read from the query string and the form."""
    recorder.clear()
    answers.append((label, ask(*request)))
    return {method: keys - {"_"} for method, keys in recorder.keys.items()}


def _clause_with_two_versions(world):
    """4.1.1 with a second version, so its page reads ?old= and ?new= to compare them."""
    clause = world.clause
    clause.body += " A second version."
    clause.save()
    return {"slug": world.concept.slug, "pk": clause.pk}


def _clause_kind(kind):
    return lambda world: {"slug": world.concept.slug, "pk": world.clause.pk, "kind": kind}


# URLs of the table asked again with other arguments, where a view reads other parameters: the insertion
# form reads ?placement=, a clause with history reads ?old= and ?new=.
VARIANTS = {
    "amendment_new insert": ("amendment_new", _clause_kind("insert")),
    "amendment_new remove": ("amendment_new", _clause_kind("remove")),
    "amendment_preview insert": ("amendment_preview", _clause_kind("insert")),
    "clause_detail with history": ("clause_detail", _clause_with_two_versions),
}
CASES = {**{name: (name, TABLE[name].kwargs) for name in TABLE}, **VARIANTS}


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_bad_value_in_any_parameter_gives_a_server_error(world, case, monkeypatch):
    name, kwargs = CASES[case]
    url = reverse(name, kwargs=kwargs(world))
    recorder = Recorder(monkeypatch)
    answers = []
    # What the view reads, asked with every known parameter present (a form bound only when the query string
    # is not empty reads its fields then); a POST with any field binds the view's form likewise.
    read = {"get": set(), "post": set()}
    posted = {}  # persona -> form keys the view read from their post
    for persona in PERSONAS + ("anonymous",):
        for method, data in (("get", dict.fromkeys(KNOWN_PARAMETERS, "1")), ("post", {"_": "1"})):
            if persona == "anonymous" and method == "get":
                continue
            label = f"{persona} {method.upper()} {sorted(data)}"
            keys = _read_by(recorder, answers, label, persona, world, method, url, data)
            read["get"] |= keys["get"]
            posted.setdefault(persona, set()).update(keys["post"])
    # Query parameters as both personas; posted fields as whoever's post the view reads furthest (the others
    # are refused before the form is read; signing in is for the signed-out), to keep the run time reasonable.
    posting = max(posted, key=lambda persona: len(posted[persona]))
    read["post"] = posted[posting]
    for label, value in BAD_VALUES.items():
        for persona in PERSONAS:
            everything = dict.fromkeys(KNOWN_PARAMETERS + tuple(read["get"]), value)
            answers.append((f"{persona} GET every parameter = {label}", ask(persona, world, "get", url, everything)))
            for key in sorted(read["get"]):
                answers.append((f"{persona} GET {key}={label}", ask(persona, world, "get", url, {key: value})))
        for key in sorted(read["post"]):
            answers.append((f"{posting} POST {key}={label}", ask(posting, world, "post", url, {key: value})))
    wrong = _failures(answers)
    assert not wrong, f"{name} ({url}) read {read}:\n" + "\n".join(wrong)


def test_ids_in_a_path_too_large_for_any_database_column_are_not_found(world):
    thirty_digits = 10**30
    wrong = []
    for name, kwargs in sorted(set(CASES.values()), key=lambda case: case[0]):
        real = kwargs(world)
        arguments = {key: thirty_digits if isinstance(value, int) else value for key, value in real.items()}
        if arguments == real:
            continue
        url = reverse(name, kwargs=arguments)
        for persona in PERSONAS:
            for method in ("get", "post"):
                status = ask(persona, world, method, url).status_code
                if status >= 500 or status == 200:
                    wrong.append(f"  {persona} {method.upper()} {url}: {status}")
    assert not wrong, "\n".join(wrong)


# --- the rules, one by one ---------------------------------------------------------------------------------
def test_a_number_in_a_request_is_ascii_digits_within_bigint_and_anything_else_is_absent():
    assert params.integer("0") == 0 and params.integer("42") == 42
    assert params.integer(str(2**63 - 1)) == 2**63 - 1
    for raw in (None, "", "²", "٣", "-1", "+1", " 7", "7 ", "1_000", "1e3", "0x10", "9" * 30, str(2**63), "\x00"):
        assert params.integer(raw) is None, repr(raw)
    assert params.integers(["3", "²", "1", "9" * 30]) == [3, 1]


@pytest.fixture
def in_baku(settings):
    settings.TIME_ZONE = "Asia/Baku"  # UTC+4: the end of 31 December 9999 is still in year 9999 in UTC


def test_a_day_must_be_on_the_calendar_and_representable_in_the_site_time_zone(in_baku):
    assert params.day("2026-03-01") == date(2026, 3, 1)
    assert params.day("9999-12-31") == date(9999, 12, 31)
    for raw, words in [("2026-02-30", "not a date on the calendar"), ("123456-01-01", "not a date I can read"),
                       ("２０２６-03-01", "not a date I can read"), ("1 March", "not a date I can read"),
                       ("0001-01-01", "outside the dates this site can read")]:
        with pytest.raises(params.DateError, match=words):
            params.day(raw)


def test_what_a_site_can_represent_depends_on_its_time_zone(settings):
    settings.TIME_ZONE = "America/New_York"  # UTC-5: now it is the last day of 9999 that cannot be held
    assert params.day("0001-01-01") == date(1, 1, 1)
    with pytest.raises(params.DateOutOfRange):
        params.day("9999-12-31")


def test_a_moment_is_iso_8601_and_a_date_alone_is_the_end_of_that_day(in_baku):
    assert params.moment("2026-03-01 14:30") == params.moment("2026-03-01T14:30:00+04:00")
    assert timezone.localtime(params.moment("2026-03-01")).time() == time.max
    with pytest.raises(params.DateOutOfRange):
        params.moment("0001-01-01T00:00")
    for raw in ("2026-02-30", "99999-01-01", "m²", "tomorrow", "２０２６-03-01"):
        with pytest.raises(params.DateError):
            params.moment(raw)


# --- the reported cases, through the real views ------------------------------------------------------------
def test_amendment_filters_ignore_what_is_not_an_id(world):
    url = reverse("amendment_list", args=[world.concept.slug])
    for bad in ("²", "9" * 30):
        response = ask("drafter", world, "get", url, {"author": bad, "clause": bad, "tag": bad})
        assert response.status_code == 200 and world.amendment.label in response.text


def test_the_what_if_chooser_ignores_what_is_not_an_amendment_number(world):
    response = ask("drafter", world, "get", reverse("what_if", args=[world.concept.slug]), {"a": ["²", "9" * 30]})
    assert response.status_code == 200 and world.amendment.label in response.text


def test_an_amendment_form_with_a_base_that_is_not_an_id_starts_from_the_current_version(world):
    url = reverse("amendment_new", args=[world.concept.slug, world.clause.pk, "modify"])
    response = ask("drafter", world, "get", url, {"base": "²"})
    assert response.status_code == 200
    assert f'name="base" value="{world.clause.history.latest().history_id}"' in response.text


def test_a_member_search_with_a_nul_finds_what_the_visible_words_find(world):
    response = ask("admin", world, "get", reverse("member_list"), {"q": "Table\x00Drafter"})
    assert response.status_code == 200 and world.drafter.full_name in response.text


def test_the_audit_until_the_last_day_of_9999_lists_everything_and_year_1_gets_a_message(world, in_baku):
    url = reverse("audit_log")
    everything = ask("admin", world, "get", url, {"until": "9999-12-31"})
    assert everything.status_code == 200 and world.invitee.full_name in everything.text
    refused = ask("admin", world, "get", url, {"since": "0001-01-01"})
    assert refused.status_code == 200 and "is outside the dates this site can read" in refused.text
    impossible = ask("admin", world, "get", url, {"since": "2026-02-30"})
    assert "is not a date on the calendar" in impossible.text


@pytest.mark.parametrize("raw, words", [
    ("2026-02-30", "is not a date and time I can read"),
    ("123456-01-01", "is not a date and time I can read"),
    ("0001-01-01T00:00", "outside the dates this site can read"),
    ("9999-12-31", "is in the future"),
    ("m²", "There is no milestone &quot;m²&quot;"),
    ("m" + "9" * 30, "There is no milestone"),
])
def test_versions_points_at_the_edges_are_answered_with_a_message(world, in_baku, raw, words):
    for name, parameter in (("versions_compare", "old"), ("versions_read", "at"), ("versions_docx", "new"),
                            ("versions_markdown", "at"), ("versions_read_docx", "at")):
        response = ask("drafter", world, "get", reverse(name, args=[world.concept.slug]), {parameter: raw})
        assert response.status_code == 400 and words in response.text, name


def test_tags_and_cosponsors_given_by_something_that_is_not_an_id_are_an_invalid_choice(world):
    url = reverse("amendment_new", args=[world.concept.slug, world.clause.pk, "modify"])
    for bad in ("9" * 30, "²", "-1"):
        data = {"base": world.clause.history.latest().history_id, "proposed_heading": "New", "proposed_body": "New.",
                "rationale": "Why.", "tags": [bad], "cosponsors": [bad]}
        response = ask("drafter", world, "post", url, data)
        assert response.status_code == 200 and response.text.count("is not a valid value") == 2, bad
