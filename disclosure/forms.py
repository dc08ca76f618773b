"""The disclosure pages' forms: logging a request, its scope, a paper's inclusion, the reviewer's decisions."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from disclosure.models import DocumentKind, Exemption, Proposal
from mappa import access
from mappa.fields import GovukDateField, ModelChoiceField, ModelMultipleChoiceField
from mappa.forms import ParamsForm, govuk_helper
from mappa.models import Body, Person

Decision = Proposal.Decision


def secretariat_logins():
    """The logins that may handle a request: the secretariat's (and administrators')."""
    secretariat = Q(person__access_role=access.Role.SECRETARIAT) | Q(is_superuser=True)
    return get_user_model().objects.filter(secretariat, is_active=True).order_by("first_name", "last_name", "username")


class HandlerField(ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class RequestForm(forms.Form):
    reference = forms.CharField(
        label="Reference",
        max_length=40,
        help_text="For example, FOI/202700123",
        error_messages={"required": "Enter the request's reference"},
    )
    received_on = GovukDateField(label="Date received")
    wording = forms.CharField(
        label="What was asked for",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The request's wording, as the requester put it.",
        error_messages={"required": "Enter what was asked for"},
    )
    requester = forms.CharField(
        label="Requester",
        max_length=200,
        help_text="A label only, such as “a journalist” or “a member of the public”: no names or contact details.",
        error_messages={"required": "Enter a label for the requester"},
    )
    handler = HandlerField(
        label="Handled by",
        queryset=get_user_model().objects.none(),
        empty_label=None,
        error_messages={"required": "Choose who handles it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = secretariat_logins()
        self.helper = govuk_helper(
            Field.text("reference", field_width=10),
            "received_on",
            Field.textarea("wording"),
            Field.text("requester", field_width=20),
            Field.select("handler"),
        )


class PersonChoices(ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return f"{person.name}, {person.job_title}" if person.job_title else person.name


class ScopeForm(forms.Form):
    bodies = ModelMultipleChoiceField(
        label="Groups",
        queryset=Body.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one group"},
    )
    scope_from = GovukDateField(label="From", help_text="The first day of the range. For example, 1 1 2017")
    scope_to = GovukDateField(label="To", help_text="The last day of the range. For example, 31 12 2017")
    kinds = forms.MultipleChoiceField(
        label="Kinds of document",
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Draft minutes are never released.",
        error_messages={"required": "Choose at least one kind of document"},
    )
    keep_organisation_names = forms.BooleanField(
        label="Keep the names of organisations and groups", required=False, initial=True
    )
    keep_chairs = forms.BooleanField(
        label="Keep the names of the groups' chairs (named in their public role)", required=False
    )
    kept_people = PersonChoices(
        label="Keep these people's names",
        queryset=Person.objects.none(),
        required=False,
        help_text="Officials named in their public role. Their e-mail addresses and telephone numbers are still "
        "redacted.",
        widget=forms.SelectMultiple(attrs={"size": 8, "class": "govuk-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = Body.objects.exclude(kind=Body.Kind.STRATEGIC_OVERSIGHT_GROUP).order_by("name")
        self.fields["kept_people"].queryset = Person.objects.select_related("organisation").order_by("name")
        self.helper = govuk_helper(
            Field.checkboxes("bodies", small=True),
            Fieldset("scope_from", "scope_to", legend="Dates", legend_size=Size.MEDIUM),
            Field.checkboxes("kinds", small=True),
            Fieldset(
                Field.checkbox("keep_organisation_names"),
                Field.checkbox("keep_chairs"),
                Field.select("kept_people"),
                legend="Names kept",
                legend_size=Size.MEDIUM,
            ),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("scope_from"), data.get("scope_to")
        if start and end and end < start:
            self.add_error("scope_to", "The end of the date range must be the same as or after its start")
        return data


class IncludePaperForm(forms.Form):
    reason = forms.CharField(
        label="Why is it released?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why this paper, marked not for publication, is released"},
    )


class TermForm(forms.Form):
    term = forms.CharField(
        label="Redact a word or phrase wherever it occurs",
        max_length=200,
        help_text="Proposed in every document when you next find personal data.",
        error_messages={"required": "Enter the word or phrase to redact"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.text("term", field_width=20), small=True)


class DecisionForm(forms.Form):
    """Decide a term's proposals: every one of them, or the ones ticked. The button pressed says which."""

    CHOICES = {
        "accepted-all": (Decision.ACCEPTED, True),
        "rejected-all": (Decision.REJECTED, True),
        "accepted-ticked": (Decision.ACCEPTED, False),
        "rejected-ticked": (Decision.REJECTED, False),
    }

    choice = forms.ChoiceField(choices=[(key, key) for key in CHOICES])
    term = forms.CharField(max_length=300)
    exemption = ModelChoiceField(queryset=Exemption.objects.filter(active=True), required=False)
    proposals = ModelMultipleChoiceField(queryset=Proposal.objects.none(), required=False)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if request is not None:
            self.fields["proposals"].queryset = request.proposals.all()

    def clean(self):
        data = super().clean()
        if "choice" not in data:
            return data
        data["decision"], data["every_one"] = self.CHOICES[data["choice"]]
        if not data["every_one"] and not data.get("proposals"):
            raise forms.ValidationError("Tick the occurrences to decide, or decide them all")
        if data["decision"] == Decision.ACCEPTED and not data.get("exemption"):
            self.add_error("exemption", "Choose the exemption the words are withheld under")
        return data


class ReviewFilterParams(ParamsForm):
    decision = forms.ChoiceField(choices=[("", "All"), *Decision.choices], required=False)
