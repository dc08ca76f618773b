"""Account forms, rendered in the GOV.UK style through crispy-forms-gds; and ParamsForm, for a view's parameters."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import BadRequest, ValidationError


class ParamsForm(forms.Form):
    """The parameters a view reads outside a form it shows: filters in the query string, an id in a hidden field.

    Every value from a request goes through a field (see mappa.fields); a view that reads
    ``request.GET`` (or one value of ``request.POST``) declares what it reads here:

        class AgendaItemParams(ParamsForm):
            parent = IdField(required=False)

        parent = AgendaItemParams.cleaned(request.GET)["parent"]

    A value that fails its field (an id that is no number, a NUL, an unknown choice) is
    answered 400 Bad Request (templates/400.html): no link or form of the service sends
    one, so there is nothing for the user to correct on the page.
    """

    @classmethod
    def cleaned(cls, data):
        form = cls(data)
        if not form.is_valid():
            wrong = ", ".join(sorted(form.errors))
            raise BadRequest(f"Invalid value for {wrong}")
        return form.cleaned_data


def govuk_helper(*layout, submit=None, small=False, small_legends=None, form=None):
    """The one crispy-forms-gds helper set-up: the template writes the <form> element and its CSRF token.

    ``layout``: the fields, in order (crispy layout objects); ``submit``: the label of a primary
    button after them; ``small``: small labels, and small legends too unless ``small_legends`` is
    False; ``form``: a form whose fields make the layout when none is given.
    """
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    if small:
        helper.label_size = Size.SMALL
    if small if small_legends is None else small_legends:
        helper.legend_size = Size.SMALL
    if layout or submit:
        helper.layout = Layout(*layout, *([Submit("submit", submit)] if submit else []))
    return helper


class GovukFormMixin:
    """Give a form a crispy-forms-gds helper with one primary button.

    The templates write the <form> element themselves (with its CSRF token and any
    hidden fields), so the helper must not add a second, nested one, nor a second token.
    """

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(form=self)
        self.helper.add_input(Submit("submit", self.submit_label))


class LoginForm(GovukFormMixin, auth_forms.AuthenticationForm):
    submit_label = "Sign in"
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask the NSG secretariat to restore it.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean(self):
        # Django reports a wrong username or password (or a switched-off account)
        # as a form-wide error, which the GOV.UK error summary lists but no field
        # shows. Show it at the password field too, which the summary links to.
        try:
            return super().clean()
        except ValidationError as error:
            self.add_error("password", error)
            return self.cleaned_data


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    submit_label = "Change password"


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    submit_label = "Send reset link"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter your e-mail address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an e-mail address in the correct format, like name@example.gov.scot"
        )


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    submit_label = "Save new password"
