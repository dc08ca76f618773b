"""The two-step sign-in forms, in the GOV.UK style (crispy-forms-gds); each error shows in the error summary."""

from django import forms

from mappa.forms import GovukFormMixin

CODE_HINT = "The code changes every 30 seconds."


class CodeForm(GovukFormMixin, forms.Form):
    """A 6-digit code from the authenticator app; what it is checked against is the view's business."""

    submit_label = "Continue"
    code = forms.CharField(
        label="Enter the 6-digit code from your authenticator app",
        help_text=CODE_HINT,
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app, like 123456")
        return code

    def wrong(self, message="The code is not right or has already been used. Enter the code your app shows now"):
        self.add_error("code", message)


class RecoveryCodeForm(GovukFormMixin, forms.Form):
    submit_label = "Continue"
    code = forms.CharField(
        label="Enter one of your recovery codes",
        help_text="Each recovery code is 8 letters and numbers, like abcd-2345. Each one works once.",
        max_length=20,
        error_messages={"required": "Enter one of your recovery codes"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-10"}),
    )

    def wrong(self):
        self.add_error("code", "The recovery code is not right or has already been used")


class CodeOrRecoveryCodeForm(GovukFormMixin, forms.Form):
    """Proof that the signed-in person still holds their authenticator (or a recovery code), to change it."""

    submit_label = "Continue"
    code = forms.CharField(
        label="Enter the 6-digit code from your authenticator app, or one of your recovery codes",
        help_text=CODE_HINT,
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app, or a recovery code"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
    )

    def wrong(self):
        self.add_error("code", "The code is not right or has already been used")


def code_label_for_set_up(form):
    form.fields["code"].label = "Enter the 6-digit code your authenticator app now shows"
    return form
