"""Builders for comments and threads."""
from drafting.models import Comment


def comment(author, target, body="A point.", quote=""):
    return Comment.post(author=author, target=target, body=body, quote=quote)


def reply(author, parent, body="A reply."):
    return Comment.post(author=author, parent=parent, body=body)


def htmx(**headers):
    """Headers that make a test client request look like htmx's."""
    return {"HTTP_HX_REQUEST": "true", **headers}
