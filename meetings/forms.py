"""Forms for planning a meeting and taking its lifecycle steps (GOV.UK style)."""

from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.db.models import Case, When

from mappa.fields import GovukDateField, IdField, ModelChoiceField
from mappa.forms import ParamsForm, govuk_helper
from mappa.models import Body, Organisation, Person
from meetings.models import AgendaItem, Meeting
from meetings.selectors.agenda import top_level_items

# ----------------------------------------------------------------------------------------------
# What the views read from the request outside their forms (mappa.forms.ParamsForm: a wrong value is a 400).
# ----------------------------------------------------------------------------------------------


class CommentParams(ParamsForm):
    """The agenda item a comment is on: the hidden ``item`` field of each item's comment form."""

    item = IdField()


class AgendaItemParams(ParamsForm):
    """``?parent=<item id>``: add the new item under that one."""

    parent = IdField(required=False)


class MeetingForm(forms.Form):
    body = ModelChoiceField(
        queryset=Body.objects.filter(active=True).order_by("kind", "name"),
        label="Group",
        error_messages={"required": "Select the group that is meeting"},
    )
    date = GovukDateField(label="Date of the meeting")
    start_time = forms.TimeField(
        label="Start time",
        help_text="For example, 10:30",
        error_messages={"required": "Enter the start time", "invalid": "Enter a start time like 10:30"},
    )
    end_time = forms.TimeField(
        label="End time",
        help_text="For example, 13:00",
        error_messages={"required": "Enter the end time", "invalid": "Enter an end time like 13:00"},
    )
    venue = forms.CharField(
        label="Venue",
        max_length=300,
        help_text="For example, Committee Room 5, South Lanarkshire Council HQ, Almada Street, Hamilton",
        error_messages={"required": "Enter the venue"},
    )
    chair = ModelChoiceField(
        queryset=Person.objects.select_related("organisation").order_by("name"),
        required=False,
        label="Chair (optional)",
    )
    agenda_items_deadline = GovukDateField(
        label="Deadline for proposing agenda items",
        required=False,
        help_text="Optional. Members can propose items until this date.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper()
        self.helper.layout = Layout(
            Field.select("body"),
            Field("date"),
            Field.text("start_time", field_width=5),
            Field.text("end_time", field_width=5),
            Field.text("venue"),
            Field.select("chair"),
            Field("agenda_items_deadline"),
            Submit("submit", "Plan meeting"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time")
        deadline, date = cleaned.get("agenda_items_deadline"), cleaned.get("date")
        if deadline and date and deadline > date:
            self.add_error("agenda_items_deadline", "The deadline for agenda items must be on or before the meeting")
        return cleaned


class AdvanceMeetingForm(forms.Form):
    """The next lifecycle step; asks only for what that step needs."""

    comment_deadline = GovukDateField(
        label="Comment deadline",
        required=False,
        help_text="Members can comment on the draft until this date. For example, 27 11 2017",
    )
    agreed_at = ModelChoiceField(
        queryset=Meeting.objects.none(), required=False, label="Meeting at which the minutes were agreed"
    )
    subject_to = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Agreed subject to (optional)",
        help_text="The amendment, if they were agreed subject to one, e.g. the Glasgow SOG update should read "
        "“3 initial ICRs had been processed, of which 1 had progressed to full ICR”.",
    )

    confirm_undecided = forms.BooleanField(required=False)

    def __init__(self, *args, meeting, agreeable_meetings=None, undecided_comments=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        step = meeting.next_status
        fields = []
        if step == Meeting.Status.DRAFT_CIRCULATED:
            fields = ["comment_deadline"]
        elif step == Meeting.Status.MINUTES_AGREED:
            self.fields["agreed_at"].queryset = agreeable_meetings
            fields = ["agreed_at", "subject_to"]
            if undecided_comments:
                self.fields["confirm_undecided"].label = confirm_undecided_label(undecided_comments)
                fields.append("confirm_undecided")
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        self.helper = govuk_helper(small=True, small_legends=False)
        layout = [Field("comment_deadline")] if "comment_deadline" in fields else []
        if "agreed_at" in fields:
            layout += [Field.select("agreed_at"), Field.textarea("subject_to", rows=3)]
        if "confirm_undecided" in fields:
            layout.append(Field.checkbox("confirm_undecided", small=True))
        self.helper.layout = Layout(*layout)

    def clean(self):
        cleaned = super().clean()
        if "agreed_at" in self.fields and not self.fields["agreed_at"].queryset.exists():
            self.add_error(
                "agreed_at",
                f"No later meeting of the {self.meeting.body.short_name or self.meeting.body.name} has been marked as "
                "held, so there is no meeting to choose: mark the next meeting as held, then agree these minutes "
                "at its item 2",
            )
        return cleaned


def confirm_undecided_label(count):
    return (
        f"Agree the minutes without deciding the {count} comment{'s' if count != 1 else ''}: "
        f"{'they' if count != 1 else 'it'} can no longer be decided once the minutes are agreed"
    )


class ReopenMinutesForm(forms.Form):
    """Why the secretariat reopens agreed minutes: kept in the meeting's history (meetings.services.meetings)."""

    reason = forms.CharField(
        label="Why are the minutes being reopened?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, item 4 named the wrong area. The meeting's history shows your reason, "
        "with who reopened the minutes and when.",
        error_messages={
            "required": "Enter why the minutes are being reopened",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.textarea("reason", rows=4))


class MinuteForm(forms.Form):
    """One agenda item's minute. ``version`` is the version the editor started from."""

    narrative = forms.CharField(
        required=False,
        max_length=20000,
        label="Minute",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="What was discussed. You can use Markdown: a blank line starts a new paragraph, "
        "“- ” starts a bullet. HTML is removed.",
    )
    decisions = forms.CharField(
        required=False,
        max_length=5000,
        label="Decisions",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: It was agreed that ...",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.textarea("narrative"), Field.textarea("decisions"), Field("version"), small=True, small_legends=False
        )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter your comment"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(small=True)


class CommentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("accepted", "Accept"), ("not_accepted", "Do not accept")],
        error_messages={"required": "Select whether the comment is accepted"},
    )
    change_made = forms.CharField(
        label="Change made, or why not",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what was changed in the minute, or why not"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(small=True)
        self.helper.layout = Layout(Field.radios("decision", inline=True), Field.textarea("change_made"))


class AgreePreviousMinutesForm(forms.Form):
    subject_to = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Agreed as a true record, subject to (optional)",
        help_text="Leave empty if agreed without amendment.",
    )
    confirm_undecided = forms.BooleanField(required=False)

    def __init__(self, *args, undecided_comments=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(small=True)
        if undecided_comments:
            self.fields["confirm_undecided"].label = confirm_undecided_label(undecided_comments)
            self.helper.layout = Layout(
                Field.textarea("subject_to", rows=3), Field.checkbox("confirm_undecided", small=True)
            )
        else:
            del self.fields["confirm_undecided"]


# ----------------------------------------------------------------------------------------------
# The agenda, the call for agenda items, and attendance.
# ----------------------------------------------------------------------------------------------


class _NumberedItemChoice(ModelChoiceField):
    """An agenda item chosen by its number and title ("4.1 Level 1 standards")."""

    def __init__(self, *args, numbers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = numbers or {}

    def label_from_instance(self, obj):
        number = self.numbers.get(obj.pk)
        return f"{number} {obj.title}" if number else obj.title


class _PersonChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.described


def _people():
    return Person.objects.select_related("organisation__parent").order_by("name")


class AgendaItemForm(forms.Form):
    """An agenda item's details; when adding, optionally the top-level item it goes under."""

    parent = _NumberedItemChoice(
        queryset=None,
        required=False,
        label="Where it goes",
        empty_label="A numbered item of its own",
        help_text="Choose an item to add this as a sub-item of it (4.1, 4.2 under item 4).",
    )
    title = forms.CharField(
        label="Title",
        max_length=300,
        error_messages={
            "required": "Enter the title of the item",
            "max_length": "The title must be 300 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_person = _PersonChoice(
        queryset=None, required=False, label="Lead person (optional)", empty_label="No lead person"
    )
    lead_organisation = ModelChoiceField(
        queryset=None,
        required=False,
        label="Or lead organisation (optional)",
        empty_label="No lead organisation",
        help_text="Choose a person or an organisation to lead the item, not both.",
    )
    minutes_allotted = forms.IntegerField(
        label="Minutes allotted (optional)",
        required=False,
        min_value=1,
        max_value=480,
        error_messages={
            "invalid": "Enter the minutes allotted as a whole number, like 15",
            "min_value": "Minutes allotted must be 1 or more",
            "max_value": "Minutes allotted must be 480 or fewer",
        },
    )

    def __init__(self, *args, meeting, numbers=None, adding=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_person"].queryset = _people()
        self.fields["lead_organisation"].queryset = Organisation.objects.select_related("parent").order_by("name")
        self.fields["lead_organisation"].label_from_instance = lambda org: org.label if org.parent_id else org.name
        if adding:
            self.fields["parent"].queryset = top_level_items(meeting)
            self.fields["parent"].numbers = numbers or {}
        else:
            del self.fields["parent"]
        self.helper = govuk_helper(small=True)
        layout = [Field.select("parent")] if adding else []
        layout += [
            Field.text("title"),
            Field.textarea("description"),
            Field.select("lead_person"),
            Field.select("lead_organisation"),
            Field.text("minutes_allotted", field_width=4),
        ]
        self.helper.layout = Layout(*layout)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("lead_person") and cleaned.get("lead_organisation"):
            self.add_error("lead_organisation", "Choose a lead person or a lead organisation, not both")
        return cleaned


class AgendaProposalForm(forms.Form):
    title = forms.CharField(
        label="Title of the item",
        max_length=300,
        error_messages={
            "required": "Enter the title of the item you propose",
            "max_length": "The title must be 300 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Short description",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the group is asked to note, discuss or decide, and any paper you will send.",
        error_messages={
            "required": "Describe the item in a sentence or two",
            "max_length": "The description must be 1,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(small=True)
        self.helper.layout = Layout(Field.text("title"), Field.textarea("description"))


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("accept", "Accept: add it to the agenda"), ("decline", "Decline")],
        error_messages={"required": "Select whether to accept or decline the proposal"},
    )
    decline_reason = forms.CharField(
        label="Reason, if declined",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The proposer sees this on the meeting page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(small=True)
        self.helper.layout = Layout(Field.radios("decision", inline=True), Field.textarea("decline_reason"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("decline_reason", "").strip():
            self.add_error("decline_reason", "Say why the proposal is declined")
        return cleaned


MEMBER_ATTENDANCE_CHOICES = [("present", "Present"), ("apologies", "Apologies"), ("", "Not recorded")]


class MemberAttendanceForm(forms.Form):
    """One radio group per member of the body: present, apologies, or not recorded."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            choices = list(MEMBER_ATTENDANCE_CHOICES)
            if row.status == "in_attendance":
                choices.insert(2, ("in_attendance", "In attendance"))
            self.fields[self.field_name(row)] = forms.ChoiceField(
                label=row.person.name,
                required=False,
                choices=choices,
                widget=forms.RadioSelect,
                initial=row.status,
                error_messages={"invalid_choice": f"Select the attendance of {row.person.name}"},
            )
        self.helper = govuk_helper(small=True)

    @staticmethod
    def field_name(row):
        return f"member-{row.person.pk}"

    def bound_rows(self):
        """Each member's row with its bound field, for the table."""
        return [(row, self[self.field_name(row)]) for row in self.rows]

    def statuses(self):
        return {row.person.pk: self.cleaned_data[self.field_name(row)] for row in self.rows}


class AttendeeForm(forms.Form):
    """Someone else at the meeting: present, in attendance for one item, or apologies; perhaps representing a member."""

    person = _PersonChoice(
        queryset=None, label="Person", empty_label="Choose a person", error_messages={"required": "Select the person"}
    )
    status = forms.ChoiceField(
        label="Attendance",
        widget=forms.RadioSelect,
        choices=[("present", "Present"), ("in_attendance", "In attendance for one item"), ("apologies", "Apologies")],
        error_messages={"required": "Select whether they were present, in attendance for one item, or sent apologies"},
    )
    for_item = _NumberedItemChoice(
        queryset=None,
        required=False,
        label="For agenda item",
        empty_label="Not for one item",
        help_text="Only for someone in attendance for one item.",
    )
    representing = _PersonChoice(
        queryset=None,
        required=False,
        label="Representing (optional)",
        empty_label="Nobody: attending in their own right",
        help_text="The member they stood in for.",
    )

    def __init__(self, *args, meeting, agenda, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()
        # Offered in agenda order (3, 3.1, 3.2, 4), not by position alone (which puts 3.1 after 10).
        # An empty agenda orders by nothing more: a CASE with no WHEN is a bare constant, which
        # PostgreSQL reads as "ORDER BY column 0".
        in_agenda_order = [When(pk=entry.item.pk, then=index) for index, entry in enumerate(agenda)]
        self.fields["for_item"].queryset = AgendaItem.objects.filter(meeting=meeting).order_by(
            *([Case(*in_agenda_order, default=len(agenda))] if in_agenda_order else []), "position"
        )
        self.fields["for_item"].numbers = {entry.item.pk: entry.number for entry in agenda}
        self.fields["representing"].queryset = _people().filter(pk__in=[row.person.pk for row in members])
        self.helper = govuk_helper(small=True)
        self.helper.layout = Layout(
            Field.select("person"),
            Field.radios("status", inline=True),
            Field.select("for_item"),
            Field.select("representing"),
        )

    def clean(self):
        cleaned = super().clean()
        status, item, represented = cleaned.get("status"), cleaned.get("for_item"), cleaned.get("representing")
        if status == "in_attendance" and item is None:
            self.add_error("for_item", "Select the agenda item they attended for")
        if status and status != "in_attendance" and item is not None:
            self.add_error("for_item", "Only choose an agenda item for someone in attendance for one item")
        if status == "apologies" and represented is not None:
            self.add_error("representing", "Only someone present or in attendance can be representing a member")
        person = cleaned.get("person")
        if person is not None and represented is not None and person.pk == represented.pk:
            self.add_error("representing", "Someone cannot represent themselves: choose the member they stood in for")
        return cleaned
