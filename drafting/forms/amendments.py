"""Forms for proposing, editing and reviewing amendments. Limits are refused with a reason, text kept."""
from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..azerbaijani import casefold
from ..languages import AZ, EN, TEXT_LANGUAGES
from ..languages import field as field_in
from ..markdown_format import normalise_text
from ..models import Amendment, Member, Numbering, Review, Tag
from .base import IdChoices, InputRules

# A clause's text: the longest clause of the 2007 Concept is under 3,000 characters; the limit leaves room for
# a long new clause and keeps every redline (computed per clause, word by word) fast. Previews check it too.
MAX_BODY = 20_000
MAX_RATIONALE = 5_000
MAX_NOTE = 5_000


# Tags and co-sponsors are chosen by id: forged ids are refused before any query.
ID_CHOICES = {"tags": IdChoices, "cosponsors": IdChoices}
PREVIEWED = ("proposed_heading", "proposed_body")


class _Sponsorship(InputRules, forms.ModelForm):
    """Rationale, tags and co-sponsors: common to every kind of amendment."""

    def __init__(self, *args, author, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rationale"].max_length = MAX_RATIONALE
        self.fields["rationale"].validators.append(_max(MAX_RATIONALE))  # max_length alone, set now, checks nothing
        self.fields["rationale"].widget = forms.Textarea(attrs={"rows": 4, "maxlength": MAX_RATIONALE})
        self.fields["rationale"].label = _("Rationale")
        self.fields["rationale"].help_text = _("Why the group should accept this change. Required.")
        self.fields["rationale"].error_messages["required"] = _("Give the rationale: why should this change be made?")
        # The widget first, then the queryset: setting a queryset hands its choices to the widget of the moment,
        # so a widget swapped in afterwards renders no checkbox at all.
        self.fields["tags"].widget = forms.CheckboxSelectMultiple()
        self.fields["tags"].queryset = Tag.objects.all()
        self.fields["tags"].required = False
        self.fields["tags"].label = _("Tags")
        self.fields["tags"].help_text = _("Topics this amendment touches (admins keep the list of topic tags).")
        self.fields["cosponsors"].widget = forms.CheckboxSelectMultiple()
        self.fields["cosponsors"].queryset = (
            Member.objects.filter(user__is_active=True).exclude(pk=author.pk).select_related("user")
        )
        self.fields["cosponsors"].required = False
        self.fields["cosponsors"].label = _("Co-sponsors")
        self.fields["cosponsors"].label_from_instance = _member_with_agency
        self.fields["cosponsors"].help_text = _("Members who sign on. Co-sponsors cannot review it.")

    def preview(self):
        """The heading and text a preview diffs, cleaned by the rules saving applies (length, control
        characters), so an over-long text is refused before it is diffed. Returns (values, messages), each
        message naming its field."""
        values, errors = self.clean_only(getattr(self, "previewed", PREVIEWED))
        messages = [message if message.startswith("“") else _("%(field)s: %(message)s") % {"field": self[name].label, "message": message}
                    for name, field_errors in errors.items() for message in field_errors]
        return values, messages

    def clean_rationale(self):
        text = self.cleaned_data["rationale"].strip()
        if not text:
            raise forms.ValidationError(_("Give the rationale: why should this change be made?"))
        return text


# The labels of a bilingual document's fields, whole per language so each reads naturally when translated.
_LABELS = {
    ("proposed_heading", AZ): _("Heading in Azerbaijani"), ("proposed_body", AZ): _("Text in Azerbaijani"),
    ("proposed_heading", EN): _("Heading in English"), ("proposed_body", EN): _("Text in English"),
}
TEXT_FIELDS = ("proposed_heading", "proposed_heading_az", "proposed_body", "proposed_body_az")


class _ProposedText:
    """The heading and text fields, in the document's languages.

    A document in English alone keeps the form it always had (heading, Azerbaijani heading, text). A bilingual
    document gets a heading and a text per language, the authoritative language's first, each labelled with its
    language and marked with it (`lang`) for browsers and screen readers; the translation is optional. Fields of
    a language the document does not have are not in the form, so a forged value for them is never read.
    """

    translation_help = _("The translation is optional: left as it is, it is not changed.")

    def _set_languages(self, document, languages=None):
        languages = languages or (document.languages if document is not None else [EN])
        self.languages = languages
        english_only = languages == [EN] and (document is None or document.languages == [EN])
        if english_only:
            keep = ["proposed_heading", "proposed_heading_az", "proposed_body"]
        else:
            keep = [field_in(name, language) for language in languages for name in ("proposed_heading", "proposed_body")]
        for name in TEXT_FIELDS:
            if name not in keep:
                self.fields.pop(name, None)
            elif name not in self.fields:
                # The Azerbaijani text is a field of bilingual documents only: made here, never in a form class.
                self.fields[name] = Amendment._meta.get_field(name).formfield()
                if self.instance.pk:
                    self.initial.setdefault(name, getattr(self.instance, name))
        self.previewed = keep
        for name in ("proposed_body", "proposed_body_az"):
            if name in self.fields:
                self.fields[name].widget = forms.Textarea(attrs={"rows": 14, "maxlength": MAX_BODY})
                self.fields[name].validators.append(_max(MAX_BODY))
        if not english_only:
            translation = document.translation_language if document is not None else ""
            for language in languages:
                for name in ("proposed_heading", "proposed_body"):
                    formfield = self.fields[field_in(name, language)]
                    formfield.label = _LABELS[name, language]
                    formfield.widget.attrs["lang"] = language
                    if language == translation and len(languages) > 1 and name == "proposed_heading":
                        formfield.help_text = self.translation_help  # once, above both of the translation's fields
                    if name == "proposed_body" and len(languages) > 1:
                        formfield.widget.attrs["rows"] = 10  # two texts one under the other
            self.order_fields(["placement", *keep])

    def text_fields(self):
        """The heading and text fields in the order the form shows them."""
        return [self[name] for name in self.previewed]

    def clean_proposed_body(self):
        # Browsers send "\r\n" and keep stray trailing spaces: store the text in the shape the Markdown export
        # holds exactly (drafting/markdown_format.py), so an applied text exports and imports back unchanged.
        return normalise_text(self.cleaned_data.get("proposed_body") or "")

    def clean_proposed_body_az(self):
        return normalise_text(self.cleaned_data.get("proposed_body_az") or "")

    def _same_as_base(self, data):
        return self.base is not None and all(
            data.get(name, "") == getattr(self.base, name.removeprefix("proposed_")) for name in self.previewed)


class ModifyForm(_ProposedText, _Sponsorship):
    class Meta:
        model = Amendment
        fields = ["proposed_heading", "proposed_heading_az", "proposed_body", "rationale", "tags", "cosponsors"]
        labels = {"proposed_heading": _("Heading"), "proposed_heading_az": _("Azerbaijani heading"), "proposed_body": _("Text")}
        field_classes = ID_CHOICES

    def __init__(self, *args, base=None, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base
        self._set_languages(document)

    def clean(self):
        data = super().clean()
        if not self.errors and self._same_as_base(data):
            raise forms.ValidationError(_("The text is the same as the clause's: change something, or propose removal."))
        return data


class TranslateForm(_ProposedText, _Sponsorship):
    """A translation update: the translation's heading and text alone, opened with the clause's translation."""

    translation_help = ""

    class Meta:
        model = Amendment
        fields = ["rationale", "tags", "cosponsors"]  # the translation's fields are added for its language
        field_classes = ID_CHOICES

    def __init__(self, *args, base=None, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base
        self._set_languages(document, [document.translation_language] if document is not None else None)

    def clean(self):
        data = super().clean()
        # Unchanged words are a translator's answer too when the authoritative change needs none in the translation.
        outdated = self.base is not None and self.base.translated_from < self.base.authoritative_version
        if not self.errors and not outdated and self._same_as_base(data):
            raise forms.ValidationError(_("The translation is the same as the clause's: change something."))
        return data


class InsertForm(_ProposedText, _Sponsorship):
    class Meta:
        model = Amendment
        fields = ["placement", "proposed_heading", "proposed_heading_az", "proposed_body", "rationale", "tags",
                  "cosponsors"]
        labels = {"placement": _("Place the new clause"), "proposed_heading": _("Heading"),
                  "proposed_heading_az": _("Azerbaijani heading"), "proposed_body": _("Text")}
        widgets = {"placement": forms.RadioSelect()}
        field_classes = ID_CHOICES

    translation_help = _("The translation is optional: without it, the new clause is listed among the outdated translations.")

    def __init__(self, *args, base=None, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base
        self.fields["placement"].required = True
        self.fields["placement"].choices = placement_choices(base)
        self._set_languages(document)

    def clean(self):
        data = super().clean()
        first = self.languages[0]
        if (not (data.get(field_in("proposed_heading", first)) or "").strip()
                and not (data.get(field_in("proposed_body", first)) or "").strip()):
            raise forms.ValidationError(_("A new clause needs a heading or a text."))
        return data


class RemoveForm(_Sponsorship):
    confirm = forms.BooleanField(
        required=True, label=_("I have read the list above: remove the clause and all its sub-clauses."),
        error_messages={"required": _("Confirm that the clause and the sub-clauses listed above are to be removed.")},
    )

    class Meta:
        model = Amendment
        fields = ["rationale", "tags", "cosponsors"]
        field_classes = ID_CHOICES

    def __init__(self, *args, base=None, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base


def placement_choices(anchor):
    """The insertion places, each naming the clause: "As the last sub-clause of 4.1.1 The restoration ..."."""
    if anchor is None:
        return Amendment.Placement.choices
    if anchor.is_closing:  # read after every sibling, it takes none after it nor below it
        return [(Amendment.Placement.AFTER, gettext("Before this closing text, as the last sub-clause"))]
    label = " ".join(part for part in (anchor.number, anchor.heading) if part) or gettext("this clause")
    return [
        (Amendment.Placement.AFTER, gettext("After %(clause)s") % {"clause": label}),
        (Amendment.Placement.FIRST_CHILD, gettext("As the first sub-clause of %(clause)s") % {"clause": label}),
        (Amendment.Placement.LAST_CHILD, gettext("As the last sub-clause of %(clause)s") % {"clause": label}),
    ]


FORMS = {Amendment.Kind.MODIFY: ModifyForm, Amendment.Kind.INSERT: InsertForm, Amendment.Kind.REMOVE: RemoveForm,
         Amendment.Kind.TRANSLATE: TranslateForm}


def _member_with_agency(member):
    return f"{member.display_name} ({member.agency})" if member.agency else member.display_name


def _max(limit):
    def check(value):
        if value and len(value) > limit:
            raise forms.ValidationError(
                _("At most %(limit)s characters (this has %(length)s).")
                % {"limit": number_format(limit, force_grouping=True), "length": number_format(len(value), force_grouping=True)}
            )

    return check


class ReviewForm(InputRules, forms.Form):
    decision = forms.ChoiceField(choices=Review.Decision.choices, widget=forms.RadioSelect, label=_("Decision"))
    # The amendment revision the reviewer read: a decision on a text edited since is refused.
    revision = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note"))

    def clean(self):
        data = super().clean()
        if data.get("decision") in (Review.Decision.REQUEST_CHANGES, Review.Decision.REJECT) and not data.get("note", "").strip():
            self.add_error("note", _("Say what should change, or why it is rejected."))
        return data


class QuorumForm(InputRules, forms.Form):
    """A document's settings: the quorum, the marking chosen from settings.DOCUMENT_MARKINGS, and the document's
    languages (the authoritative one and its translation, or none; never the same twice)."""

    LANGUAGE_FIELDS = ("authoritative_language", "translation_language")
    # Fields a POST written before they were on the page may leave out: they stay as they are.
    KEPT_WHEN_MISSING = (*LANGUAGE_FIELDS, "numbering")

    quorum = forms.IntegerField(min_value=1, max_value=20, label=_("Approvals needed"))
    marking = forms.ChoiceField(required=False, label=_("Marking"))
    authoritative_language = forms.ChoiceField(choices=TEXT_LANGUAGES, label=_("Authoritative language"))
    translation_language = forms.ChoiceField(
        required=False, choices=[("", _("No translation")), *TEXT_LANGUAGES], label=_("Translation language"))
    numbering = forms.ChoiceField(choices=Numbering.choices, label=_("Numbering"))

    def __init__(self, *args, current_marking="", current_languages=None, current_numbering=Numbering.RENUMBER,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and current_languages is not None:
            # A POST naming only the quorum and the marking (written before the languages and the numbering
            # were on this page) leaves them as they are; one that names them is checked like the page's own.
            data = self.data.copy()
            for name, value in zip(self.KEPT_WHEN_MISSING, (*current_languages, current_numbering)):
                if name not in data:
                    data[name] = value
            self.data = data
        from django.conf import settings

        markings = list(settings.DOCUMENT_MARKINGS)
        if current_marking and current_marking not in markings:
            markings.append(current_marking)  # a marking taken off the list stays until an admin changes it
        self.fields["marking"].choices = [("", _("No marking")), *[(marking, gettext(marking)) for marking in markings]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("translation_language") and cleaned.get("translation_language") == cleaned.get("authoritative_language"):
            self.add_error("translation_language", gettext("The translation must be in another language than the authoritative text."))
        return cleaned


class TagForm(InputRules, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name"]
        labels = {"name": _("Name")}

    def clean_name(self):
        """One tag per topic, whatever the case: "Təhlükəsizlik" and "TƏHLÜKƏSİZLİK" are one tag (compared with
        the Azerbaijani dotted and dotless i as one letter, which the database's case-insensitive match is not)."""
        name = self.cleaned_data["name"].strip()
        others = Tag.objects.exclude(pk=self.instance.pk).values_list("name", flat=True)
        if any(casefold(other) == casefold(name) for other in others):
            raise forms.ValidationError(gettext("There is already a tag with that name."))
        return name


class CompromiseForm(ModifyForm):
    """A compromise: the clause's heading and text as the reviewer edits them, and a rationale. Its sponsors are
    the originals' authors signing on afterwards, so it has no co-sponsor field; no tags either."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("tags", "cosponsors"):
            self.fields.pop(name)
        self.fields["rationale"].help_text = _("How this text reconciles the amendments it combines. Required.")

    def text_values(self):
        return {name: self.cleaned_data.get(name) or "" for name in self.previewed}
