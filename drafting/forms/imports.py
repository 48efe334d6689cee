"""The forms of the Word import and of the tracked-changes upload: a file (and, for the import, its language);
the confirmation names the held file by its token (drafting/held_files.py)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ..languages import TEXT_LANGUAGES
from .base import InputRules


class WordFileForm(InputRules, forms.Form):
    file = forms.FileField(label=_("Word or OpenDocument file (.docx, .odt)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".docx,.odt"}))

    def __init__(self, *args, languages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if languages is not None and len(languages) > 1:
            names = dict(TEXT_LANGUAGES)
            self.fields["language"] = forms.ChoiceField(
                label=_("Language of the file"), choices=[(code, names[code]) for code in languages],
                initial=languages[0])


class ConfirmForm(InputRules, forms.Form):
    # No length of its own: a token that is not one of this session's is simply not found (held_files.take).
    token = forms.CharField(label=_("Preview"), widget=forms.HiddenInput)
