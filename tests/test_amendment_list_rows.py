"""The amendment list's rows are cached fragments (drafting/fragments.py `list_rows`): a row reads byte for byte
as the list's template wrote it inline, cached or not, in either interface language; it changes on the next
request when anything it prints changes; and a reader is never shown a row of what they may not read, nor another
reader's count of open threads."""
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from drafting.fragments import LIST_ROW_FIELDS, change_lines, list_rows, text_state
from drafting.importer import import_document
from drafting.markdown_format import parse
from drafting.models import Amendment, Comment, Member, Review, Tag
from drafting.models.comments import CommentQuerySet
from drafting.models.history import attribute

from .amendment_builders import insert, modify, remove
from .builders import STRUCTURED_MARKDOWN, make_member
from .comment_builders import comment, reply
from .conftest import login

# A row as templates/drafting/amendments/list.html wrote it inline before rows were cached (its open threads `n`
# and last activity `at` were worked out by template tags, as `_inline_rows` does here): what a cached row must
# read as, byte for byte.
INLINE_ROW = """{% load i18n %}<tr>
      <td data-label="{% translate 'No.' %}" class="nowrap"><a href="{{ amendment.get_absolute_url }}">{{ amendment.label }}</a></td>
      <td data-label="{% translate 'Clause' %}" class="clause-cell">{% if amendment.is_insert %}{{ amendment.provisional_label }}{% else %}<a href="{% url 'clause_detail' document.slug amendment.clause_id %}">{{ amendment.clause.label|truncatechars:70 }}</a>{% endif %}</td>
      <td data-label="{% translate 'Kind' %}" class="nowrap">{{ amendment.get_kind_display }}</td>
      <td data-label="{% translate 'Change' %}" class="summary-cell">
        {% if amendment.is_insert %}<ins>{{ amendment.proposed_heading|default:amendment.proposed_body|truncatechars:120 }}</ins>
        {% elif amendment.is_remove %}{% translate "Removes the clause" %}{% if amendment.clause.heading %}: <del>{{ amendment.clause.heading|truncatechars:100 }}</del>{% endif %}
        {% else %}{{ amendment.change_line }}{% endif %}
        {% with tags=amendment.tags.all %}{% if tags %}<span class="tags">{% for tag in tags %}<span class="badge">{{ tag }}</span> {% endfor %}</span>{% endif %}{% endwith %}
      </td>
      <td data-label="{% translate 'Author' %}">{{ amendment.author.display_name }}</td>
      <td data-label="{% translate 'State' %}" class="nowrap"><span class="state state-{{ amendment.state }}">{{ amendment.get_state_display }}</span>{% if amendment.is_superseded and amendment.superseded_by_id %} <a href="{% url 'amendment_detail' amendment.document.slug amendment.superseded_by.number %}">{% blocktranslate with label=amendment.superseded_by.label %}by {{ label }}{% endblocktranslate %}</a>{% endif %}</td>
      <td data-label="{% translate 'Open threads' %}" class="open-threads">{% if n %}<a href="{{ amendment.get_absolute_url }}#discussion">{{ n }}</a>{% else %}—{% endif %}</td>
      <td data-label="{% translate 'Last activity' %}" class="nowrap"><time datetime="{{ at|date:'c' }}">{{ at|date:"DATETIME_FORMAT" }}</time></td>
    </tr>"""
ROW = re.compile(r"<tr>\n      <td data-label=.*?\n    </tr>", re.S)
CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')  # masked anew on every response


def _inline_rows(document, member, page=1):
    """The page's rows as the inline template wrote them, from the amendments loaded whole (`for_list`)."""
    amendments = list(Amendment.objects.visible_to(member).filter(document=document).for_list()
                      .order_by("-number")[(page - 1) * 50:page * 50])
    lines = change_lines(amendments)
    Amendment.number_insertions(amendments)
    counts = Comment.objects.open_thread_counts_by_amendment(document, member)
    last_comments = Comment.objects.last_comment_at_by_amendment(document)
    template = Template(INLINE_ROW)
    rows = []
    for amendment in amendments:
        amendment.change_line = lines.get(amendment.pk)
        commented = last_comments.get(amendment.pk)
        rows.append(template.render(Context({
            "amendment": amendment, "document": document, "n": counts.get(amendment.pk, 0),
            "at": max(amendment.updated_at, commented) if commented else amendment.updated_at,
        })))
    return rows


def _listed(client, document, **query):
    response = client.get(reverse("amendment_list", args=[document.slug]), query)
    assert response.status_code == 200
    return response.text


def _row(page, amendment):
    """The row of `amendment` in a rendered list, or None."""
    for row in ROW.findall(page):
        if f">{amendment.label}</a></td>" in row.split("\n")[1]:
            return row
    return None


@pytest.fixture
def varied(concept, drafter, second_drafter, reviewer):
    """Every kind of row: rewordings (bilingual), a removal, insertions (in words, and under "keep" by provisional
    number), tags with markup in their names, open and resolved threads, a compromise and the two amendments it
    supersedes, a closing text, a draft, a former member's work, and more than a page of them."""
    clauses = list(concept.clauses.exclude(number="").order_by("pk"))
    tags = [Tag.objects.create(name=name) for name in ("iqtisadiyyat", "AI & <ethics>", "Şəhər")]
    former = make_member("drafter_former", full_name="Zeynəb <b>Ağa</b>")
    made = []
    for i in range(80):
        author = (drafter, second_drafter, former)[i % 3]
        target = clauses[i % len(clauses)]
        if i % 11 == 5:
            amendment = remove(author, target, submit=i % 2 == 0)
        elif i % 13 == 7:
            amendment = insert(author, target, ("after", "first_child", "last_child")[i % 3], f"New {i} <x>",
                               f"Body {i} & more", submit=True)
        else:
            amendment = modify(author, target, body=target.body + f" Amended {i} \"q\".", submit=i % 4 != 1)
        if i % 3 == 0:
            amendment.tags.set(tags[i % 3:i % 3 + 2])
        made.append(amendment)
    for amendment in made[::5]:
        if not amendment.is_draft:
            comment(reviewer, amendment, body="Why?")
    thread = comment(reviewer, made[2], body="Settled?")
    reply(drafter, thread, body="Yes.")
    thread.resolve(reviewer)
    target = clauses[3]
    originals = [modify(drafter, target, body=target.body + " one.", submit=True),
                 modify(second_drafter, target, body=target.body + " two.", submit=True)]
    Amendment.start_compromise(starter=reviewer, originals=originals, proposed_heading=target.heading,
                               proposed_body=target.body + " one. two.", rationale="Both.")
    kept, _ = import_document(parse(STRUCTURED_MARKDOWN), slug="structured")
    kept.numbering = "keep"
    attribute(kept, reason="numbering kept")
    kept.save()
    numbered = list(kept.clauses.exclude(number="").order_by("pk"))
    modify(drafter, kept.clauses.get(role="closing"), body="Yeni yekun mətn.", submit=True)
    for k, anchor in enumerate(numbered[:3]):
        insert(second_drafter, anchor, ("after", "first_child", "last_child")[k], f"Yeni {k}", "Mətn", submit=True)
    remove(former, numbered[-1], submit=True)
    comment(reviewer, Amendment.objects.filter(document=kept).first(), body="Sual")
    former.deactivate()
    return concept, kept


@pytest.mark.parametrize("language", ["en", "az"])
def test_cached_rows_read_as_the_inline_template_wrote_them(client, varied, drafter, reviewer, language):
    for member in (drafter, reviewer):
        Member.objects.filter(pk=member.pk).update(language=language)
        login(client, member)
        for document in varied:
            for query in ({}, {"page": "2"}, {"state": "superseded"}) if document == varied[0] else ({},):
                cold, warm = _listed(client, document, **query), _listed(client, document, **query)
                assert CSRF.sub(r"\1", cold) == CSRF.sub(r"\1", warm)
                if "state" not in query:
                    with translation.override(language):
                        expected = _inline_rows(document, member, int(query.get("page", 1)))
                    assert expected and ROW.findall(warm) == expected
    if language != "en":
        return
    concept, kept = varied  # every kind of row was among those compared
    page = _listed(client, concept)
    assert "(former member)" in page and "&lt;b&gt;Ağa&lt;/b&gt;" in page and "AI &amp; &lt;ethics&gt;" in page
    assert "(provisional)" in _listed(client, kept) and "Closing text of" in _listed(client, kept)
    assert "state-superseded" in _listed(client, concept, page="2") + page


def test_a_row_changes_on_the_next_request_when_anything_it_prints_changes(
    client, concept, drafter, second_drafter, reviewer
):
    clause = concept.clauses.get(number="4.1.1")
    amendment = modify(drafter, clause, body=clause.body + " Amended.", submit=True)
    tag = Tag.objects.create(name="economy")
    amendment.tags.add(tag)
    login(client, reviewer)

    def row():
        cold_or_warm = _row(_listed(client, concept), amendment)
        assert cold_or_warm == _row(_listed(client, concept), amendment)  # the second one from the cache
        return cold_or_warm

    before = row()
    assert "economy" in before and "Dinara Əliyeva" in before and 'class="open-threads">—<' in before

    tag.name = "digital economy"
    tag.save()
    assert "digital economy" in row()

    amendment.tags.add(Tag.objects.create(name="security"))  # a many-to-many change: no new update time
    assert '<span class="badge">security</span>' in row()

    thread = comment(second_drafter, amendment, body="A question.")
    shown = row()
    assert "#discussion\">1</a>" in shown
    assert f'datetime="{timezone.localtime(thread.created_at).isoformat()}"' in shown
    thread.resolve(second_drafter)
    assert 'class="open-threads">—<' in row()

    amendment.review(reviewer, Review.Decision.REQUEST_CHANGES, "Shorter, please.")
    assert "state-changes_requested" in row()

    amendment.refresh_from_db()
    amendment.revise(drafter, fields={"proposed_body": clause.body + " Amended again, differently."})
    assert "differently" in row()

    clause.heading = "The restoration, retitled"
    attribute(clause, reason="retitled")
    clause.save()
    assert "4.1.1 The restoration, retitled" in row()

    drafter.edit(full_name="Dinara Əliyeva-Quliyeva")
    assert "Dinara Əliyeva-Quliyeva" in row()

    drafter.deactivate()
    assert "Dinara Əliyeva-Quliyeva (former member)" in row()


def test_an_insertions_provisional_number_follows_the_text_cached_or_not(client, drafter, second_drafter, reviewer):
    kept, _ = import_document(parse(STRUCTURED_MARKDOWN), slug="structured")
    kept.numbering = "keep"
    attribute(kept, reason="numbering kept")
    kept.save()
    anchor = kept.clauses.get(number="2.1")
    waiting = insert(drafter, anchor, "after", "Waiting", "Text.", submit=True)
    login(client, reviewer)
    assert "2.1-1 (provisional)" in _row(_listed(client, kept), waiting)
    first = insert(second_drafter, anchor, "after", "First", "Text.", submit=True)
    assert first.review(reviewer, Review.Decision.APPROVE) == Amendment.State.APPLIED  # nothing of `waiting` changed
    assert "2.1-0 (provisional)" in _row(_listed(client, kept), waiting)  # in front of the new 2.1-1


def test_a_draft_row_is_its_sponsors_alone_even_once_cached(client, concept, drafter, second_drafter, reviewer):
    clause = concept.clauses.get(number="4.1.1")
    draft = modify(drafter, clause, body=clause.body + " A private thought.")
    comment(drafter, draft, body="Note to self.")
    public = modify(second_drafter, clause, body=clause.body + " Public.", submit=True)
    login(client, drafter)
    own = _listed(client, concept)
    assert _row(own, draft) is not None and "#discussion\">1</a>" in _row(own, draft)
    for member in (second_drafter, reviewer):
        login(client, member)
        page = _listed(client, concept)
        assert _row(page, draft) is None and _row(page, public) is not None
        assert "A private thought" not in page and draft.label + "<" not in page


def test_each_reader_gets_the_row_with_their_own_count_of_open_threads(
    client, concept, drafter, reviewer, monkeypatch
):
    """Today every reader of an amendment reads all of its threads; were that to change, the rows would follow,
    because each reader's count is part of their row's key."""
    clause = concept.clauses.get(number="4.1.1")
    amendment = modify(drafter, clause, body=clause.body + " Amended.", submit=True)
    counts = {drafter.pk: {amendment.pk: 2}, reviewer.pk: {}}
    monkeypatch.setattr(CommentQuerySet, "open_thread_counts_by_amendment",
                        lambda self, document, member: counts[member.pk])
    for member, shown in ((drafter, '#discussion">2</a>'), (reviewer, 'class="open-threads">—<'),
                          (drafter, '#discussion">2</a>'), (reviewer, 'class="open-threads">—<')):
        login(client, member)
        assert shown in _row(_listed(client, concept), amendment)


def test_the_clause_filter_follows_its_clauses_and_the_choice_cached_or_not(client, concept, drafter, reviewer):
    clause = concept.clauses.get(number="4.1.1")
    other = concept.clauses.get(number="2")
    modify(drafter, clause, body=clause.body + " Amended.", submit=True)
    login(client, reviewer)

    def options(**query):
        page = _listed(client, concept, **query)
        return re.search(r'<select name="clause"><option value="">[^<]*</option>(.*?)</select>', page, re.S).group(1)

    assert options() == options() == f'<option value="{clause.pk}">{clause.label[:59]}…</option>'
    assert options(clause=str(clause.pk)) == options(clause=str(clause.pk)) == (
        f'<option value="{clause.pk}" selected>{clause.label[:59]}…</option>')
    assert options(clause=f"0{clause.pk}") == options(clause="x") == options()

    modify(drafter, other, body=other.body + " Amended.", submit=True)
    assert f'<option value="{other.pk}">' in options()
    clause.heading = "Retitled"
    attribute(clause, reason="retitled")
    clause.save()
    assert f'<option value="{clause.pk}">4.1.1 Retitled</option>' in options()


def test_a_row_whose_author_was_not_read_with_the_author_filter_reads_its_author(concept, drafter, reviewer):
    """An amendment written between the author filter's query and the rows' (its author new to the list)."""
    clause = concept.clauses.get(number="4.1.1")
    amendment = modify(drafter, clause, body=clause.body + " Amended.", submit=True)
    rows = Amendment.objects.filter(pk=amendment.pk).values(*LIST_ROW_FIELDS)
    with translation.override("en"):
        [row] = list_rows(list(rows), concept, reviewer, text_state(concept), authors={})
    assert "<td data-label=\"Author\">Dinara Əliyeva</td>" in row
