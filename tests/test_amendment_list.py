"""The amendment list stays bounded: the same queries at any number of amendments, authors, co-sponsors, tags,
reviews and comments, and a clause filter that offers the clauses with amendments, not every clause."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafting.models import Amendment, Member, Review, Tag

from .builders import make_document, make_member
from .comment_builders import comment
from .conftest import login


def _varied_amendments(n, document, other_document):
    """n submitted amendments on `document` (and a few on another one) by n // 3 + 2 distinct authors, each
    with two of five tags, some co-sponsored, reviewed and discussed; half of them deactivated authors' work."""
    authors = [make_member(f"author_{n}_{i}", active=i % 4 != 3) for i in range(n // 3 + 2)]
    reviewers = [make_member(f"reviewer_{n}_{i}", Member.Role.REVIEWER) for i in range(3)]
    tags = [Tag.objects.get_or_create(name=f"topic {i}")[0] for i in range(5)]
    clauses = list(document.clauses.filter(parent__isnull=False).order_by("pk")[: n // 2 + 1])
    amendments = []
    for target, count in ((document, n), (other_document, 3)):
        targets = clauses if target is document else list(target.clauses.order_by("pk")[:3])
        for i in range(count):
            clause = targets[i % len(targets)]
            amendments.append(Amendment(
                document=target, number=i + 1, kind="modify", clause=clause, base=clause.history.latest(),
                proposed_heading=clause.heading, proposed_body=f"text {i}", rationale="r",
                author=authors[i % len(authors)], state="submitted",
            ))
    amendments = Amendment.objects.bulk_create(amendments)
    Amendment.tags.through.objects.bulk_create([
        Amendment.tags.through(amendment_id=a.pk, tag_id=tags[(i + k) % 5].pk)
        for i, a in enumerate(amendments) for k in (0, 1)
    ])
    Amendment.cosponsors.through.objects.bulk_create([
        Amendment.cosponsors.through(amendment_id=a.pk, member_id=authors[(i + 1) % len(authors)].pk)
        for i, a in enumerate(amendments) if i % 2
    ])
    Review.objects.bulk_create([
        Review(amendment=a, reviewer=reviewers[i % 3], round=1, decision=Review.Decision.REQUEST_CHANGES)
        for i, a in enumerate(amendments) if i % 3 == 0
    ])
    for a in amendments[::7]:
        comment(reviewers[0], a, body="Why?")
    return clauses


@pytest.mark.parametrize("size", [10, 200])
def test_amendment_list_offers_only_clauses_that_have_amendments(client, reviewer, size):
    document, other = make_document(300, slug=f"big-{size}"), make_document(10, slug=f"other-{size}")
    clauses = _varied_amendments(size, document, other)
    login(client, reviewer)
    page = client.get(reverse("amendment_list", args=[document.slug])).text
    clause_filter = re.search(r'<select name="clause">(.*?)</select>', page, re.S).group(1)
    offered = [int(pk) for pk in re.findall(r'<option value="(\d+)"', clause_filter)]
    expected = {c.pk for c in clauses[:size]}
    assert sorted(offered) == sorted(expected)
    numbers = [document.clauses.get(pk=pk).number for pk in offered]
    assert numbers == sorted(numbers, key=lambda n: [int(p) for p in n.split(".")])


def test_amendment_list_queries_do_not_grow_with_amendments_authors_tags_or_clauses(client, reviewer, capsys, empty_cache):
    counts = {}
    for size in (10, 200):
        document, other = make_document(300, slug=f"big-{size}"), make_document(10, slug=f"other-{size}")
        _varied_amendments(size, document, other)
        login(client, reviewer)
        empty_cache()
        for cache in ("cold", "warm"):  # rows rendered, then read from the cache
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("amendment_list", args=[document.slug]))
            assert response.status_code == 200
            assert response.text.count('class="state state-') == min(size, 50)
            counts[size, cache] = len(queries)
    with capsys.disabled():
        print(f"\n[query count] amendment list, varied data: {counts[10, 'cold']} queries at 10 amendments, "
              f"{counts[200, 'cold']} at 200; with the rows cached {counts[10, 'warm']} and {counts[200, 'warm']}")
    assert counts[10, "cold"] == counts[200, "cold"] and counts[10, "warm"] == counts[200, "warm"]


def test_list_queryset_reads_authors_cosponsors_tags_and_clause_without_further_queries(db):
    document, other = make_document(40, slug="varied"), make_document(10, slug="varied-other")
    _varied_amendments(20, document, other)
    amendments = list(Amendment.objects.filter(document=document).for_list())
    with CaptureQueriesContext(connection) as queries:
        shown = [
            (a.author.display_name, a.clause.label, a.get_absolute_url(), [t.name for t in a.tags.all()],
             [m.display_name for m in a.cosponsors.all()])
            for a in amendments
        ]
    assert len(shown) == 20 and any(row[4] for row in shown) and any("(former member)" in row[0] for row in shown)
    assert len(queries) == 0
