"""Forms for the sections of a return, the workflow steps and case review records (GOV.UK style).

Every form keeps what was typed when it is shown again with errors. Numbers use
a text input with a numeric keyboard (GOV.UK's advice), so the server, not the
browser, says what is wrong with them. Text limits are shown with the character
count component and checked on the server.
"""

from crispy_forms_gds.layout import Field, Size
from django import forms

from mappa.fields import GovukDateField, ModelChoiceField
from mappa.forms import govuk_helper
from meetings.models import Meeting
from reviews import rules
from reviews.models import CASE_REVIEW_FIELDS, TEXT_LIMITS, THEMES, CaseReview


def _helper(*fields):
    # The template writes the <form>, its CSRF token and its buttons.
    return govuk_helper(*fields, small=True)


def _number(name, hint=""):
    words = rules.FIGURE_WORDS[name]
    return forms.IntegerField(
        label=rules.label(name),
        help_text=hint,
        min_value=0,
        max_value=9999,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": f"Enter the number of {words}, or 0 if there were none",
            "invalid": f"The number of {words} must be a whole number, like 4",
            "min_value": f"The number of {words} must be 0 or more",
            "max_value": f"The number of {words} must be 9999 or fewer",
        },
    )


def _text(name, *, label=None, required=False, hint="", rows=5, required_message=None):
    limit = TEXT_LIMITS[name]
    label = label or rules.label(name)
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message or f"Enter the {label.lower()}",
            "max_length": f"{label} must be {limit:,} characters or fewer",
        },
    )


def label_confirm(form, warnings):
    """Word the form's confirm box for the warnings shown (figures, text or both), and return the words.

    The bound field is labelled too: it is made (and kept) while the form is cleaned.
    """
    label = rules.confirmation_label(warnings)
    form.fields["confirm"].label = label
    form["confirm"].label = label
    return label


def _no_maxlength(form):
    """Let people type past a limit and be told (the character count), rather than be stopped silently."""
    for bound in form.fields.values():
        bound.widget.attrs.pop("maxlength", None)


class ReturnSectionForm(forms.Form):
    """One section of a return. Subclasses declare the fields; warnings need a tick to pass."""

    section_slug = None
    confirm = forms.BooleanField(required=False, label="I have checked these figures")

    def __init__(self, *args, ret, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ret = ret
        self.previous = previous
        self.section = rules.SECTIONS_BY_SLUG[self.section_slug]
        self.warnings = []
        self.pending_warnings = []
        _no_maxlength(self)

    @classmethod
    def initial_from(cls, ret):
        section = rules.SECTIONS_BY_SLUG[cls.section_slug]
        return {
            name: getattr(ret, name)
            for name in section.fields
            if not name.startswith("theme_") or name == "theme_other_text"
        }

    def values(self):
        """The cleaned answers as the return's fields."""
        return {name: value for name, value in self.cleaned_data.items() if name != "confirm"}

    def check_rules(self, values):
        for name, message in rules.figure_errors(values).items():
            if name in self.fields:
                self.add_error(name, message)

    def clean(self):
        cleaned = super().clean()
        # Offender or victim details are refused whatever else is wrong, so the chair hears of them at once.
        text_fields = [name for name in self.section.text_fields if name in cleaned]
        labels = {name: self.fields[name].label for name in text_fields}
        for name, message in rules.personal_data_errors(cleaned, text_fields, labels).items():
            self.add_error(name, message)
        if self.errors:
            return cleaned
        values = self.values()
        self.check_rules(values)
        if self.errors:
            return cleaned
        self.warnings = rules.section_warnings(self.section, values, self.previous, labels)
        self.pending_warnings = rules.unconfirmed(self.warnings, self.ret.confirmed_warnings)
        if self.pending_warnings:
            label = label_confirm(self, self.pending_warnings)
            if not cleaned.get("confirm"):
                self.add_error("confirm", f"Check the warnings below, then tick “{label}”")
        return cleaned

    @property
    def confirmed_keys(self):
        return [w.key for w in self.pending_warnings] if self.cleaned_data.get("confirm") else []


class CaseReviewsForm(ReturnSectionForm):
    section_slug = rules.S.CASE_REVIEWS

    initial_icrs_processed = _number("initial_icrs_processed")
    progressed_to_full_icr = _number("progressed_to_full_icr", "Of the initial ICRs processed.")
    scrs_commissioned = _number("scrs_commissioned")
    scrs_completed = _number("scrs_completed")
    icrs_from_proactive_policing = _number(
        "icrs_from_proactive_policing", "Of the initial ICRs processed, those uncovered by proactive policing."
    )
    themes = forms.MultipleChoiceField(
        label="Themes of this quarter's case reviews",
        required=False,
        choices=THEMES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    theme_other_text = forms.CharField(
        label="Other theme",
        required=False,
        max_length=TEXT_LIMITS["theme_other_text"],
        help_text="If you selected Other. Describe the theme, not a case.",
        error_messages={"max_length": f"Other theme must be {TEXT_LIMITS['theme_other_text']} characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("initial_icrs_processed", field_width=4),
            Field.text("progressed_to_full_icr", field_width=4),
            Field.text("scrs_commissioned", field_width=4),
            Field.text("scrs_completed", field_width=4),
            Field.text("icrs_from_proactive_policing", field_width=4),
            Field.checkboxes("themes", legend_size=Size.SMALL, small=True),
            Field.text("theme_other_text"),
        )

    @classmethod
    def initial_from(cls, ret):
        initial = super().initial_from(ret)
        initial["themes"] = ret.theme_keys
        return initial

    def values(self):
        values = super().values()
        themes = set(values.pop("themes", []))
        for key, _label in THEMES:
            values[f"theme_{key}"] = key in themes
        if not values["theme_other"]:
            values["theme_other_text"] = ""
        return values

    def check_rules(self, values):
        super().check_rules(values)
        for name, message in rules.theme_errors(values).items():
            self.add_error(name, message)


class Category3Form(ReturnSectionForm):
    section_slug = rules.S.CATEGORY_3

    category3_received = _number("category3_received")
    category3_accepted = _number("category3_accepted")
    category3_declined = _number("category3_declined")
    category3_decline_reasons = _text(
        "category3_decline_reasons",
        hint="Needed if any referral was declined. Give reasons in general terms: no details of any person.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("category3_received", field_width=4),
            Field.text("category3_accepted", field_width=4),
            Field.text("category3_declined", field_width=4),
            Field.textarea(
                "category3_decline_reasons", rows=4, max_characters=TEXT_LIMITS["category3_decline_reasons"]
            ),
        )

    def check_rules(self, values):
        super().check_rules(values)
        if (values.get("category3_declined") or 0) > 0 and not values.get("category3_decline_reasons", "").strip():
            self.add_error("category3_decline_reasons", "Enter the main reasons for declining referrals")


class NarrativeForm(ReturnSectionForm):
    section_slug = rules.S.NARRATIVE

    narrative = _text(
        "narrative",
        rows=10,
        required=True,
        required_message="Enter the update for the NSG",
        hint="What the SOG chair would say at the NSG meeting: case reviews, learning, pressures and "
        "developments in the area. It is minuted as the area's update.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.ret.is_nil_return:
            self.fields["narrative"].required = False
            self.fields["narrative"].label = "Update for the NSG (optional for a nil return)"
        self.helper = _helper(Field.textarea("narrative", rows=10, max_characters=TEXT_LIMITS["narrative"]))


class LearningForm(ReturnSectionForm):
    section_slug = rules.S.LEARNING

    learning = _text(
        "learning",
        label="Learning and good practice to share nationally (optional)",
        hint="For example, a resource, a training event or a protocol other areas could use.",
    )
    escalations = _text(
        "escalations",
        label="Issues to escalate to the NSG (optional)",
        hint="Anything the area needs the NSG to act on or know about.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("learning", rows=5, max_characters=TEXT_LIMITS["learning"]),
            Field.textarea("escalations", rows=5, max_characters=TEXT_LIMITS["escalations"]),
        )


SECTION_FORMS = {form.section_slug: form for form in (CaseReviewsForm, Category3Form, NarrativeForm, LearningForm)}


class SubmitForm(forms.Form):
    """The check-your-answers page's submission: a tick when warnings stand unconfirmed."""

    confirm = forms.BooleanField(required=False, label="I have checked these figures")


class SendBackForm(forms.Form):
    """The secretariat returns a return for amendment, with a comment on any section."""

    note = forms.CharField(
        label="Message to the area (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The message must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in rules.SECTIONS:
            self.fields[f"comment_{section.slug}"] = forms.CharField(
                label=f"Comment on {section.number}. {section.title} (optional)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": "A comment must be 2,000 characters or fewer"},
            )
        _no_maxlength(self)
        self.helper = _helper(
            *[Field.textarea(f"comment_{s.slug}", rows=3) for s in rules.SECTIONS], Field.textarea("note", rows=3)
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any((cleaned.get(f"comment_{s.slug}") or "").strip() for s in rules.SECTIONS):
            self.add_error(
                f"comment_{rules.SECTIONS[0].slug}",
                "Enter a comment on at least one section, saying what needs to change",
            )
        return cleaned

    def comments(self):
        return {s.slug: self.cleaned_data.get(f"comment_{s.slug}", "") for s in rules.SECTIONS}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why are you reopening this return?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The area is e-mailed this reason and can amend the return and submit it again.",
        error_messages={
            "required": "Enter the reason for reopening the return",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_maxlength(self)
        self.helper = _helper(Field.textarea("reason", rows=4))


# ----------------------------------------------------------------------------------------------
# Case review records
# ----------------------------------------------------------------------------------------------


class _EarlierReviewChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} ({obj.get_review_type_display()})"


class CaseReviewForm(forms.Form):
    area = ModelChoiceField(
        queryset=None,
        label="MAPPA area",
        empty_label="Select the area",
        error_messages={"required": "Select the MAPPA area"},
    )
    review_type = forms.ChoiceField(
        label="Type of review",
        choices=CaseReview.Type.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of review"},
    )
    mappa_category = forms.TypedChoiceField(
        label="MAPPA category",
        coerce=int,
        choices=CaseReview.CATEGORIES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the MAPPA category"},
    )
    mappa_level = forms.TypedChoiceField(
        label="MAPPA level",
        coerce=int,
        choices=CaseReview.LEVELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the MAPPA level"},
    )
    commissioned_on = GovukDateField(label="Date commissioned")
    from_proactive_policing = forms.BooleanField(label="The review arose from proactive policing", required=False)
    progressed_from = _EarlierReviewChoice(
        queryset=None,
        required=False,
        label="Follows an earlier review (optional)",
        empty_label="No earlier review",
        help_text="A full ICR that followed an initial ICR, or an SCR that followed a full ICR.",
    )
    stage = forms.ChoiceField(label="Stage", choices=CaseReview.Stage.choices)
    status = forms.ChoiceField(label="Status", choices=CaseReview.Status.choices)
    completed_on = GovukDateField(
        label="Date completed", required=False, help_text="If the review is complete. For example, 27 11 2017"
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        required=False,
        choices=THEMES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    theme_other_text = forms.CharField(
        label="Other theme",
        required=False,
        max_length=TEXT_LIMITS["theme_other_text"],
        help_text="If you selected Other.",
        error_messages={"max_length": "Other theme must be 200 characters or fewer"},
    )
    learning_summary = forms.CharField(
        label="Summary of learning (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The learning to share nationally. No details of any offender or victim.",
        error_messages={"max_length": "The summary of learning must be 5,000 characters or fewer"},
    )
    shared_with_sg_on = GovukDateField(
        label="Date learning shared with the SG",
        required=False,
        help_text="Once shared, inspectors and NSG members can read the record. For example, 27 11 2017",
    )
    confirm = forms.BooleanField(
        required=False, label="I have checked this text: it holds no offender or victim details"
    )

    def __init__(self, *args, areas, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        self.pending_warnings = []
        self.fields["area"].queryset = areas
        only = list(areas[:2])
        if len(only) == 1:  # a chair of one area: nothing to choose
            self.fields["area"].empty_label = None
            self.fields["area"].initial = only[0].pk
        earlier = CaseReview.objects.filter(area__in=areas).order_by("reference")
        if review is not None:
            del self.fields["area"]
            earlier = CaseReview.objects.filter(area=review.area).exclude(pk=review.pk).order_by("reference")
        self.fields["progressed_from"].queryset = earlier
        _no_maxlength(self)
        layout = [] if review is not None else [Field.select("area")]
        layout += [
            Field.radios("review_type"),
            Field.radios("mappa_category"),
            Field.radios("mappa_level"),
            Field("commissioned_on"),
            Field.checkbox("from_proactive_policing"),
            Field.select("progressed_from"),
            Field.select("stage"),
            Field.select("status"),
            Field("completed_on"),
            Field.checkboxes("themes", small=True),
            Field.text("theme_other_text"),
            Field.textarea("learning_summary", rows=5, max_characters=5000),
            Field("shared_with_sg_on"),
        ]
        self.helper = _helper(*layout)

    @staticmethod
    def initial_from(review):
        initial = {name: getattr(review, name) for name in CASE_REVIEW_FIELDS if not name.startswith("theme_")}
        initial["themes"] = review.theme_keys
        initial["theme_other_text"] = review.theme_other_text
        return initial

    def clean(self):
        cleaned = super().clean()
        commissioned, completed = cleaned.get("commissioned_on"), cleaned.get("completed_on")
        if commissioned and completed and completed < commissioned:
            self.add_error("completed_on", "The date completed must be on or after the date commissioned")
        area = cleaned.get("area") or (self.review.area if self.review else None)
        earlier = cleaned.get("progressed_from")
        if earlier and area and earlier.area_id != area.pk:
            self.add_error("progressed_from", "The earlier review must be one of the same area's")
        if "other" in cleaned.get("themes", []) and not cleaned.get("theme_other_text", "").strip():
            self.add_error("theme_other_text", "Enter the other theme")
        if cleaned.get("status") == CaseReview.Status.COMPLETED and not completed and "completed_on" not in self.errors:
            self.add_error("completed_on", "Enter the date completed: the review is completed")
        # Free text is checked for offender or victim details as a return's is.
        for name, message in rules.case_review_text_errors(cleaned).items():
            self.add_error(name, message)
        if not self.errors:
            self.pending_warnings = rules.personal_data_warnings(
                cleaned, rules.CASE_REVIEW_TEXT, rules.CASE_REVIEW_TEXT, rules.CASE_REVIEWS_HOLD
            )
            if self.pending_warnings:
                label = label_confirm(self, self.pending_warnings)
                if not cleaned.get("confirm"):
                    self.add_error("confirm", f"Check the warning below, then tick “{label}”")
        return cleaned

    def values(self):
        values = {name: value for name, value in self.cleaned_data.items() if name not in ("confirm", "themes")}
        themes = set(self.cleaned_data.get("themes", []))
        for key, _label in THEMES:
            values[f"theme_{key}"] = key in themes
        if not values["theme_other"]:
            values["theme_other_text"] = ""
        return values


# ----------------------------------------------------------------------------------------------
# Reporting periods, and the NSG meeting (the SOG chairs' updates; the case review table as a paper)
# ----------------------------------------------------------------------------------------------

QUARTER_CHOICES = [
    (1, "Q1: April to June"),
    (2, "Q2: July to September"),
    (3, "Q3: October to December"),
    (4, "Q4: January to March"),
]


class PeriodForm(forms.Form):
    """A new reporting period: the financial year and quarter; the due date only if not the usual one."""

    year = forms.IntegerField(
        label="Financial year",
        min_value=2000,
        max_value=2099,
        help_text="The year it starts: 2017 for 2017-18.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the year the financial year starts, like 2017",
            "invalid": "The financial year must be a year, like 2017",
            "min_value": "The financial year must be 2000 or later",
            "max_value": "The financial year must be 2099 or earlier",
        },
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        choices=QUARTER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the quarter"},
    )
    due_on = GovukDateField(
        label="Due date",
        required=False,
        help_text="Optional. Leave it blank for the usual date: one month after the quarter ends (30 June: "
        "30 July). Returns can be started from the quarter's first day. For example, 31 7 2017",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("year", field_width=4), Field.radios("quarter"), Field("due_on"))


class DueDateForm(forms.Form):
    due_on = GovukDateField(
        label="Due date", help_text="Returns first submitted by this date count as on time. For example, 31 7 2017"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("due_on"))


class SogUpdatesForm(forms.Form):
    """Put the areas' approved updates for a quarter into the SOG chairs' updates minute.

    ``version`` is the minute's version the person saw: if anyone has saved since,
    nothing is written. ``mode`` is asked only when the minute already has text.
    """

    APPEND, REPLACE = "append", "replace"

    period = forms.ChoiceField(
        label="Quarter",
        error_messages={"required": "Select the quarter", "invalid_choice": "Select a quarter with approved returns"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        label="What should happen to the text already there?",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (APPEND, "Add the updates after the text already there"),
            (REPLACE, "Replace the text already there with the updates"),
        ],
        help_text="Either way the earlier text is kept in the minute's saved versions.",
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {period.slug: period for period in periods}
        self.fields["period"].choices = [(period.slug, f"{period.label} ({period.months})") for period in periods]
        # Only the choice is laid out by crispy: the templates write the quarter (a select, or hidden once
        # chosen) and the version (hidden) themselves.
        self.helper = _helper(Field.radios("mode"))

    def clean_period(self):
        return self.periods[self.cleaned_data["period"]]


class _MeetingChoice(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.get_status_display().lower()})"


class AttachTableForm(forms.Form):
    meeting = _MeetingChoice(
        queryset=None,
        label="Which meeting's papers should it go into?",
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="It is added to the meeting's SOG chairs' updates item. If it is there "
        "already, it becomes a new version of that paper.",
        error_messages={"required": "Select the meeting", "invalid_choice": "Select one of the meetings listed"},
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(pk__in=[m.pk for m in meetings]).select_related("body")
        # Keep the selector's order (upcoming first), not the model's.
        self.fields["meeting"].choices = [(m.pk, self.fields["meeting"].label_from_instance(m)) for m in meetings]
        self.helper = _helper(Field.radios("meeting"))
