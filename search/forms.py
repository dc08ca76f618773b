from django import forms

from search.engines import parse_query

MAX_QUERY = 200


class SearchForm(forms.Form):
    """The search page's query string: ?q=...&sort=..., and the filters search.filters.SearchFilter adds
    (every value checked; see mappa/fields.py)."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_QUERY,
        error_messages={"max_length": f"Search terms must be {MAX_QUERY} characters or fewer"},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("relevance", "Relevance"), ("date", "Date (newest first)")],
        error_messages={"invalid_choice": "Select relevance or date"},
    )

    def clean_q(self):
        text = self.cleaned_data["q"]
        if text.strip() and parse_query(text).is_empty:
            raise forms.ValidationError("Enter a word or phrase to search for, not only words to leave out")
        return text

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data
