"""The erasure page's forms: the text to find, then the reason and the confirmation."""

from crispy_forms_gds.layout import Field
from django import forms

from erasure.services import MIN_LENGTH, ErasureRefused, check_text
from mappa.forms import govuk_helper

TEXT_ERRORS = {
    "required": "Enter the text to erase",
    "max_length": "The text to erase must be 1,000 characters or fewer",
}


class TextForm(forms.Form):
    """Step 1: the exact text to find (case matters)."""

    text = forms.CharField(
        label="Text to erase",
        max_length=1000,
        help_text=f"Exactly as it was typed, capital letters included: at least {MIN_LENGTH} characters. "
        "For example, DOB 12/03/1985",
        error_messages=TEXT_ERRORS,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs.pop("maxlength", None)
        self.helper = govuk_helper(Field.text("text"))

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            check_text(text)
        except ErasureRefused as refusal:
            raise forms.ValidationError(refusal.message_dict["text"]) from None
        return text


class ConfirmForm(forms.Form):
    """Step 3: why, and "yes, erase it". The text comes back in a hidden field, as found."""

    text = forms.CharField(max_length=1000, widget=forms.HiddenInput, error_messages=TEXT_ERRORS)
    reason = forms.CharField(
        label="Why is this text being erased?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit log for good. Do not repeat the text itself.",
        error_messages={
            "required": "Enter why this text is being erased",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )
    confirm = forms.BooleanField(
        label="I understand that the text is replaced everywhere and cannot be brought back",
        error_messages={"required": "Confirm that the text is to be erased everywhere"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs.pop("maxlength", None)
        self.helper = govuk_helper("text", Field.textarea("reason", rows=3), "confirm")

    def clean(self):
        cleaned = super().clean()
        text, reason = cleaned.get("text"), cleaned.get("reason")
        if text and reason and text in reason:
            self.add_error("reason", "The reason must not contain the text being erased: it is kept for good")
        return cleaned
