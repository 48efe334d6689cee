"""Forms for comments: the length limits and the rule that a quote must come from the text commented on."""
from django import forms
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..languages import field as field_in
from ..languages import language_label
from ..models import Suggestion, TransitionError
from ..models.comments import BODY_MAX_LENGTH, QUOTE_MAX_LENGTH, normalise
from ..models.suggestions import TEXT_MAX_LENGTH, in_context, occurrences
from .base import InputRules

# The limit written as the reader's language writes numbers ("5,000"; "5 000" in Azerbaijani), when shown.
_grouped = lazy(lambda number: number_format(number, force_grouping=True), str)

BODY_ERRORS = {
    "required": _("Write something before posting."),
    "max_length": _("A comment can be at most %(limit_value)d characters; this one has %(show_value)d."),
}


SUGGESTION_FIELDS = ("suggest_language", "suggest_original", "suggest_occurrence", "suggest_replacement")
_TEXT_ERRORS = {"max_length": _("This can be at most %(limit_value)d characters; it has %(show_value)d.")}


class CommentForm(InputRules, forms.Form):
    """A new thread: the text, and optionally a passage quoted from the clause or the proposed text. On an
    amendment that takes suggestions, also "Suggest a change": words of its proposed text (which occurrence, when
    they occur more than once; which language, on a bilingual amendment) and what should stand instead."""

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

    def __init__(self, *args, quotable_text="", amendment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.quotable_text = quotable_text
        self.amendment = amendment
        # A forged suggestion on an amendment that takes none is refused, never posted as a plain comment.
        self.refuses_suggestions = amendment is not None and (
            amendment.state not in Suggestion.TAKES_SUGGESTIONS or amendment.is_remove)
        if amendment is None or self.refuses_suggestions:
            return  # a removal proposes no text to change
        # The languages with a proposed text to change (the Concept's Azerbaijani text may still be empty).
        languages = [language for language in amendment.languages
                     if getattr(amendment, field_in("proposed_body", language))] or amendment.languages[:1]
        self.suggestion_languages = languages
        if len(languages) > 1:
            self.fields["suggest_language"] = forms.ChoiceField(
                label=_("Text"), required=False, initial=languages[0], choices=[(language, language_label(language)) for language in languages],
                help_text=_("Which language's proposed text the change is to."))
        self.fields["suggest_original"] = forms.CharField(
            label=_("Words to replace"), required=False, max_length=TEXT_MAX_LENGTH, error_messages=_TEXT_ERRORS,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Copy them exactly from the proposed text."))
        self.fields["suggest_occurrence"] = forms.IntegerField(
            label=_("Which occurrence"), required=False, min_value=1, max_value=TEXT_MAX_LENGTH,
            help_text=_("Only when the words occur more than once: 1 for the first, 2 for the second, ..."))
        self.fields["suggest_replacement"] = forms.CharField(
            label=_("Replace with"), required=False, max_length=TEXT_MAX_LENGTH, error_messages=_TEXT_ERRORS,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Leave empty to suggest deleting the words."))

    @property
    def comment_fields(self):
        return [self[name] for name in self.fields if name not in SUGGESTION_FIELDS]

    @property
    def suggestion_fields(self):
        return [self[name] for name in self.fields if name in SUGGESTION_FIELDS]

    @property
    def suggests(self):
        """Whether the member filled in "Suggest a change" (its section then opens on a re-rendered form)."""
        return any(self.data.get(name) for name in ("suggest_original", "suggest_replacement"))

    def clean(self):
        cleaned = super().clean()
        cleaned["suggestion"] = None
        if self.amendment is not None and self.refuses_suggestions and self.suggests:
            raise forms.ValidationError(_("%(label)s takes no suggested changes now: changes are suggested to the "
                                          "proposed text of an open, submitted amendment.") % {"label": self.amendment.label})
        if "suggest_original" not in self.fields or not self.suggests:
            return cleaned
        if any(name in self.errors for name in SUGGESTION_FIELDS):
            return cleaned
        amendment = self.amendment
        language = cleaned.get("suggest_language") or self.suggestion_languages[0]
        original, replacement = cleaned.get("suggest_original", ""), cleaned.get("suggest_replacement", "")
        if not original:
            self.add_error("suggest_original", _("Copy the words to replace from the proposed text."))
            return cleaned
        text = getattr(amendment, field_in("proposed_body", language))
        found = occurrences(text, original)
        which = cleaned.get("suggest_occurrence")
        if not found:
            self.add_error("suggest_original", _("Those words are not in the proposed text; copy them exactly."))
            return cleaned
        if which is None and len(found) > 1:
            self.add_error("suggest_occurrence", _("These words occur %(count)d times in the proposed text: say "
                                                   "which one (1 to %(count)d, from the start).") % {"count": len(found)})
            for number, start in enumerate(found[:20], 1):  # each in its place, so the member can tell them apart
                self.add_error("suggest_occurrence", f"{number}: {in_context(text, start, len(original))}")
            return cleaned
        if which is not None and which > len(found):
            self.add_error("suggest_occurrence", _("There is no such occurrence: these words occur fewer times in the "
                                                   "proposed text."))
            return cleaned
        start = found[(which or 1) - 1]
        try:
            Suggestion.check_new(amendment, language, original, start, replacement)
        except TransitionError as refused:
            self.add_error("suggest_replacement", str(refused))
            return cleaned
        cleaned["suggestion"] = {"language": language, "original": original, "start": start, "replacement": replacement}
        return cleaned

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


class DeclineForm(InputRules, forms.Form):
    """The author declines a suggested change, saying why if they wish."""

    note = forms.CharField(
        label=_("Why (optional)"), required=False, max_length=BODY_MAX_LENGTH, error_messages=_TEXT_ERRORS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
