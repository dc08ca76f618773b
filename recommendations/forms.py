"""Forms for the secretariat's status updates and the inspectorates' grades."""

from crispy_forms_gds.layout import Field
from django import forms

from mappa.fields import GovukDateField, ModelChoiceField
from mappa.forms import govuk_helper
from meetings.models import AgendaItem
from recommendations.models import Assessment, Inspection, StatusUpdate


def _helper(*fields, submit):
    return govuk_helper(*fields, submit=submit, small=True)


class StatusUpdateForm(forms.Form):
    as_of = GovukDateField(label="Date of the update")
    narrative = forms.CharField(
        label="Update",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": "Enter the update"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=StatusUpdate.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )
    progress = forms.ChoiceField(
        label="Progress",
        choices=StatusUpdate.Progress.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the progress"},
    )
    review_date = GovukDateField(label="Next review date", required=False)
    completion_date = GovukDateField(
        label="Completion date", required=False, help_text="Needed when the objective is met. For example, 27 11 2017"
    )
    source = forms.ChoiceField(
        label="Source",
        choices=StatusUpdate.Source.choices,
        widget=forms.RadioSelect,
        initial=StatusUpdate.Source.ACTION_PLAN,
    )
    source_item = ModelChoiceField(
        label="NSG meeting item (if the source is a meeting)",
        required=False,
        queryset=AgendaItem.objects.filter(meeting__body__kind="nsg", parent__isnull=True)
        .select_related("meeting")
        .order_by("-meeting__date", "position"),
    )
    source_note = forms.CharField(
        label="Source note (optional)",
        required=False,
        max_length=200,
        help_text='For example, "Action plan, October 2017"',
    )

    def __init__(self, *args, current_review_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_review_date = current_review_date
        self.fields["source_item"].label_from_instance = lambda item: f"{item.meeting.date:%-d %B %Y}: {item.title}"
        self.helper = _helper(
            Field("as_of"),
            Field.textarea("narrative"),
            Field.radios("status"),
            Field.radios("progress"),
            Field("review_date"),
            Field("completion_date"),
            Field.radios("source", inline=True),
            Field.select("source_item"),
            Field.text("source_note"),
            submit="Record update",
        )

    def clean(self):
        cleaned = super().clean()
        as_of, review = cleaned.get("as_of"), cleaned.get("review_date")
        status = cleaned.get("status")
        if (
            status == StatusUpdate.Status.MET
            and not cleaned.get("completion_date")
            and "completion_date" not in self.errors
        ):
            self.add_error("completion_date", "Enter the completion date: the objective is met")
        if as_of and review and review < as_of:
            self.add_error("review_date", "The next review date must be on or after the date of the update")
        overdue = self.current_review_date and as_of and self.current_review_date < as_of
        if overdue and not review and status != StatusUpdate.Status.MET and "review_date" not in self.errors:
            self.add_error(
                "review_date",
                f"The review date ({self.current_review_date:%-d %B %Y}) has passed: enter a new review date",
            )
        if cleaned.get("source") == StatusUpdate.Source.MEETING_ITEM and not cleaned.get("source_item"):
            self.add_error("source_item", "Select the NSG meeting item the update comes from")
        return cleaned


class AssessmentForm(forms.Form):
    review = ModelChoiceField(
        label="Review",
        queryset=Inspection.objects.order_by("-published_on"),
        error_messages={"required": "Select the review"},
    )
    as_of = GovukDateField(label="Date of the grade")
    grade = forms.ChoiceField(
        label="Grade",
        choices=Assessment.Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the grade"},
    )
    summary = forms.CharField(
        label="Summary (optional)", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("review"),
            Field("as_of"),
            Field.radios("grade", inline=True),
            Field.textarea("summary"),
            submit="Record grade",
        )
