from django import forms

from search.engines import parse_query
from search.sources import KIND_CHOICES

MAX_QUERY = 200


class SearchForm(forms.Form):
    """The search page's query string: ?q=...&kind=...&sort=... (every value checked; see mappa/fields.py)."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_QUERY,
        error_messages={"max_length": f"Search terms must be {MAX_QUERY} characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Kind of record",
        required=False,
        choices=[("", "Everything"), *KIND_CHOICES],
        error_messages={"invalid_choice": "Select a kind of record from the list"},
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
