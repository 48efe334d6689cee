"""Comment bodies and quotes are plain text: HTML and script render escaped everywhere they appear."""
from django.urls import reverse

from drafting.models import Comment, Notification

from .amendment_builders import modify
from .comment_builders import comment, reply
from .conftest import login

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)> https://example.org/?a=1&b=<b>'


def test_bodies_and_quotes_render_escaped_on_every_page(client, drafter, reviewer, concept):
    clause = concept.clauses.get(number="1")
    clause.body = EVIL  # so the quote is part of the text
    clause.save()
    amendment = modify(drafter, concept.clauses.get(number="4.1.1"), body="short", submit=True)
    thread = Comment.post(author=reviewer, target=clause, body=EVIL + " @drafter_dina", quote=EVIL)
    reply(reviewer, comment(drafter, amendment, "fine"), EVIL)
    thread.edit(reviewer, EVIL + " edited @drafter_dina")
    assert Notification.objects.filter(recipient=drafter).exists()
    login(client, drafter)
    pages = [
        clause.get_absolute_url(), amendment.get_absolute_url(), reverse("inbox"),
        reverse("document_activity", args=["concept"]), reverse("comment_versions", args=["concept", thread.pk]),
    ]
    for url in pages:
        text = client.get(url).text
        assert "<script>alert" not in text, url
        assert "<img src=x" not in text, url
        assert "&lt;script&gt;alert(" in text, url
    page = client.get(clause.get_absolute_url()).text
    assert '<a href="https://example.org/?a=1&amp;b=" rel="nofollow">' in page  # links are clickable, safely


def test_invalid_comment_form_page_escapes_the_text_it_gives_back(client, drafter, concept):
    clause = concept.clauses.get(number="1")
    login(client, drafter)
    response = client.post(reverse("clause_comment", args=["concept", clause.pk]), {"body": EVIL, "quote": "nowhere"})
    assert "That passage is not in the current text" in response.text
    assert "<script>alert" not in response.text and "&lt;script&gt;alert(" in response.text
