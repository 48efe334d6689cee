"""Bad input gets a clear answer, never a 500: every URL, every query parameter and form field it reads.

The table walks every URL pattern of tests/test_permissions.py's TABLE as an active admin and as a drafter.
It first asks each URL plainly (GET and POST) and records which query-string and form keys the view reads
(so a parameter added later is fuzzed without anyone listing it), then sends each of those keys, and every
parameter name any view of the app uses, each of the bad values below. Run on SQLite and on PostgreSQL: NUL
in a string and integers beyond bigint fail only on PostgreSQL.
"""
import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse

from .test_permissions import TABLE, client_for, world  # noqa: F401  (world is a fixture)

NUL = "\x00"
BAD_VALUES = {
    "superscript two": "²",
    "NUL": NUL,
    "minus one": "-1",
    "30 digits": "9" * 30,
    "last day of 9999": "9999-12-31",
    "first day of year 1": "0001-01-01",
    "30 February": "2026-02-30",
    "a huge year": "123456-01-01",
    "vertical tab": "a\x0bb",
}
# Every query parameter the app's views read (and a few the brief names that none reads yet): sent together,
# so a parameter a view reads only after another (as_of after at) is reached too.
KNOWN_PARAMETERS = (
    "q", "sort", "state", "clause", "tag", "author", "a", "base", "page", "placement", "from", "to", "since",
    "until", "kind", "who", "as_of", "at", "at_at", "old", "new", "old_at", "new_at", "view", "show", "next",
)
PERSONAS = ("admin", "drafter")


class Recorder:
    """Which keys a view reads from request.GET and request.POST (reads of a request's own, immutable
    QueryDict count; building one, or a view's mutable copy, does not)."""

    def __init__(self, monkeypatch):
        self.keys = set()
        recorder = self
        for name in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(QueryDict, name)

            def reading(self, key, *args, _original=original, **kwargs):
                if not self._mutable:
                    recorder.keys.add(key)
                return _original(self, key, *args, **kwargs)

            monkeypatch.setattr(QueryDict, name, reading)


def ask(persona, world, method, url, data=None):  # noqa: F811
    """One request that may fail (a 500 is answered, not raised), rolled back afterwards."""
    with transaction.atomic():
        response = getattr(client_for(persona, world, raise_request_exception=False), method)(url, data or {})
        transaction.set_rollback(True)
    return response


def _failures(responses):
    return [f"  {label}: {response.status_code}" for label, response in responses if response.status_code >= 500]


def _read_by(recorder, answers, label, *request):
    """Ask (keeping the answer) and return the keys the view read."""
    recorder.keys.clear()
    answers.append((label, ask(*request)))
    return recorder.keys - {"_"}


@pytest.mark.parametrize("name", sorted(TABLE))
def test_no_bad_value_in_any_parameter_gives_a_server_error(world, name, monkeypatch):  # noqa: F811
    url = reverse(name, kwargs=TABLE[name].kwargs(world))
    recorder = Recorder(monkeypatch)
    answers = []
    # What the view reads, asked plainly and with every known parameter present (a form bound only when the
    # query string is not empty reads its fields then); a POST with any field binds the view's form likewise.
    read = {"get": set(), "post": set()}
    for persona in PERSONAS:
        for method, data in (("get", {}), ("get", dict.fromkeys(KNOWN_PARAMETERS, "1")), ("post", {}),
                             ("post", {"_": "1"})):
            label = f"{persona} {method.upper()} {sorted(data) or 'plain'}"
            read[method] |= _read_by(recorder, answers, label, persona, world, method, url, data)
    for persona in PERSONAS:
        for label, value in BAD_VALUES.items():
            everything = dict.fromkeys(KNOWN_PARAMETERS + tuple(read["get"]), value)
            answers.append((f"{persona} GET every parameter = {label}", ask(persona, world, "get", url, everything)))
            for method, keys in read.items():
                for key in sorted(keys):
                    answers.append((f"{persona} {method.upper()} {key}={label}",
                                    ask(persona, world, method, url, {key: value})))
    wrong = _failures(answers)
    assert not wrong, f"{name} ({url}) read {read}:\n" + "\n".join(wrong)
