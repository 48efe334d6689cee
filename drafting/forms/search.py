"""The search form: what to look for, where, of which kind, and when. Read from the query string (a GET form)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.search import SearchEntry
from .base import DayField, InputRules


class SearchForm(InputRules, forms.Form):
    # Like every text field, the query refuses control characters with a message beside it (InputRules); any
    # other character is searched or read as a space (`search.read_query`), and a query of any length is cut at
    # search.MAX_QUERY_LENGTH, saying so: no maxlength, which would cut a pasted text without a word.
    q = forms.CharField(required=False, label=_("Search for"), strip=True,
                   widget=forms.TextInput(attrs={"type": "search"}))
    document = forms.TypedChoiceField(required=False, label=_("Document"), coerce=int, empty_value=None)
    kind = forms.ChoiceField(required=False, label=_("Kind"),
                             choices=[("", _("All kinds")), *SearchEntry.Kind.choices])
    date_from = DayField(required=False, label=_("From"))
    date_to = DayField(required=False, label=_("To"))

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The documents the member is on, by id: any other value ("²", another document's id) is an invalid choice.
        self.fields["document"].choices = [("", _("All documents")),
                                           *((str(d.pk), d.short_title or d.title) for d in documents)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the range comes before its start."))
        return cleaned
