"""Forms for comments: the length limits and the rule that a quote must come from the text commented on."""
from django import forms
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..models.comments import BODY_MAX_LENGTH, QUOTE_MAX_LENGTH, normalise
from .base import InputRules

# The limit written as the reader's language writes numbers ("5,000"; "5 000" in Azerbaijani), when shown.
_grouped = lazy(lambda number: number_format(number, force_grouping=True), str)

BODY_ERRORS = {
    "required": _("Write something before posting."),
    "max_length": _("A comment can be at most %(limit_value)d characters; this one has %(show_value)d."),
}


class CommentForm(InputRules, forms.Form):
    """A new thread: the text, and optionally a passage quoted from the clause or the proposed text."""

    body = forms.CharField(
        label=_("Comment"), max_length=BODY_MAX_LENGTH, error_messages=BODY_ERRORS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(_("Plain text, up to {limit} characters. Links become clickable; "
                                "@username or @Full Name mentions a member."), limit=_grouped(BODY_MAX_LENGTH)),
    )
    quote = forms.CharField(
        label=_("Quoted passage (optional)"), required=False, max_length=QUOTE_MAX_LENGTH,
        error_messages={"max_length": _("A quote can be at most %(limit_value)d characters; this one has %(show_value)d.")},
        widget=forms.Textarea(attrs={"rows": 2, "class": "quote-field"}),
        help_text=_("Copy the words you are commenting on from the text."),
    )

    def __init__(self, *args, quotable_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.quotable_text = quotable_text

    def clean_quote(self):
        quote = self.cleaned_data["quote"].strip()
        if quote and normalise(quote) not in normalise(self.quotable_text):
            raise forms.ValidationError(_("That passage is not in the current text; copy it exactly, or leave it out."))
        return quote


class ReplyForm(InputRules, forms.Form):
    body = forms.CharField(
        label=_("Reply"), max_length=BODY_MAX_LENGTH, error_messages=BODY_ERRORS, widget=forms.Textarea(attrs={"rows": 3})
    )


class EditForm(InputRules, forms.Form):
    body = forms.CharField(
        label=_("Edit comment"), max_length=BODY_MAX_LENGTH, error_messages=BODY_ERRORS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
