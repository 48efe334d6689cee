"""The URL map: everything within one document hangs under one d/<slug>/ include."""
from django.urls import URLPattern, URLResolver, get_resolver


def test_every_document_url_is_under_the_one_document_include():
    top = get_resolver().url_patterns
    (documents,) = [p for p in top if isinstance(p, URLResolver) and str(p.pattern) == "d/<slug:slug>/"]
    names = {p.name for p in documents.url_patterns}
    assert {"document_detail", "clause_detail", "amendment_detail", "versions", "document_activity"} <= names
    elsewhere = [str(p.pattern) for p in top if isinstance(p, URLPattern) and str(p.pattern).startswith("d/")]
    # Importing a new document from Word is the one "d/" page before any document exists (issue 14).
    assert elsewhere == ["d/import/"]
