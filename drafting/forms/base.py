"""What every form of the app checks the same way: text without control characters, ids that are ids, days
that exist.

Every form inherits `InputRules` (tests/test_control_characters.py walks the forms and the views' modules, and
fails for a form that does not), so a new form gets these rules without anyone remembering them:
- every text field (CharField and its kinds: email, password, username) refuses the characters
  `drafting.characters` forbids, with a message naming the field; a multi-line field (a Textarea) keeps tab
  and line breaks. The form is shown again with the text as typed, and nothing is saved.
- `IdChoices` is the checkbox list of objects by id, and `DayField` a calendar date: both read what arrives
  through `drafting.params`, so a forged value is an error beside the field, never a database error.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.utils import pretty_name
from django.utils.translation import gettext as _

from .. import characters, params
from ..azerbaijani import sorted_by_name


class NoControlCharacters:
    """A text field's validator. It reads the field's label and widget when it runs, since a form may change
    both after the field was made (a TextField's input turned into a textarea)."""

    def __init__(self, name, field):
        self.name = name
        self.field = field

    def __call__(self, value):
        multiline = isinstance(self.field.widget, forms.Textarea)
        found = characters.first_forbidden(value, multiline=multiline)
        if found is None:
            return
        values = {"field": self.field.label or pretty_name(self.name), "character": characters.describe(found)}
        if found in characters.LINE_BREAKS:
            message = _("“%(field)s” is a single line: remove %(character)s.") % values
        else:
            message = _("“%(field)s” contains %(character)s, which cannot be stored; remove it "
                        "(it often comes with text pasted from another program).") % values
        raise ValidationError(message, code="control_character")


class InputRules:
    """Mixin for every form: the rules above, applied when the form is validated."""

    def full_clean(self):
        self._guard_text_fields()
        super().full_clean()

    def _guard_text_fields(self):
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField):
                continue
            if any(isinstance(v, NoControlCharacters) for v in field.validators):
                continue
            # Ours names the field and covers NUL, so Django's unnamed "Null characters are not allowed." goes.
            field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
            field.validators.append(NoControlCharacters(name, field))

    def clean_only(self, names):
        """Clean just the fields `names`, by the same rules as saving, without validating the rest of the
        form (a preview must not complain of a rationale not yet written). Returns (values, errors)."""
        self._guard_text_fields()
        values, errors = {}, {}
        for name in names:
            if name not in self.fields:
                continue
            field = self.fields[name]
            try:
                values[name] = field.clean(self[name].data)
            except ValidationError as error:
                errors[name] = error.messages
        return values, errors


class InAzerbaijaniOrder(forms.models.ModelChoiceIterator):
    """A model choice field's options in Azerbaijani alphabetical order of their labels (drafting/azerbaijani.py):
    the lists are short (members, tags), so they are sorted here rather than by a database collation."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset if self.queryset._prefetch_related_lookups else self.queryset.iterator()
        yield from (self.choice(obj) for obj in sorted_by_name(queryset, self.field.label_from_instance))


class IdChoices(forms.ModelMultipleChoiceField):
    """A choice of several objects by id (tags, co-sponsors), offered in Azerbaijani alphabetical order. A value
    that is not an id ("²", thirty digits) is an invalid choice before any query: SQLite cannot even bind an
    integer past 2**63."""

    iterator = InAzerbaijaniOrder

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            for raw in value:
                if params.integer(str(raw)) is None:
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": characters.searchable(str(raw))})
        return super().clean(value)


class DayField(forms.DateField):
    """A calendar date written 2026-03-01 (what a date input sends), read by `params.day`: 30 February, or a
    day that cannot be represented in the site's time zone, is refused with a message."""

    widget = forms.DateInput(attrs={"type": "date"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "isoformat"):
            return value
        try:
            return params.day(str(value))
        except params.DateError as error:
            raise ValidationError(str(error), code="invalid") from None
