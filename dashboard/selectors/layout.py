"""What the dashboard is made of: sections of figures, each a table and the chart drawn from it."""

from dataclasses import dataclass, field

from dashboard import charts
from dashboard.tables import Table

IN_TABLE = "The figures are in the table below the chart."


def day_label(day):
    """ "29 June 2017", as titles and headings name a day."""
    return f"{day:%-d %B %Y}"


@dataclass
class Figure:
    """A table, and the chart drawn from it (some tables have none)."""

    table: Table
    chart: charts.Chart | None = None
    svg: str = ""  # the chart rendered (Dashboard.render_charts)
    # The long detail (an area, an owner or a recommendation a row): folded behind "Show" on the
    # page, so that it opens with the summary and the national picture; the PDF and files hold it whole.
    folded: bool = False


@dataclass
class Headline:
    """One of the few figures an inspector asks first, at the top of the page: "4 overdue actions"."""

    figure: object  # a number, or a Withheld
    words: str
    table: str  # the slug of the table it comes from, to link to


@dataclass
class Section:
    slug: str
    title: str
    lead: list  # paragraphs that say what the figures mean
    figures: list
    headlines: list = field(default_factory=list)  # Headline: the section's figures in the summary


@dataclass
class Dashboard:
    scope: object  # dashboard.filters.Scope
    sections: list
    sees_small_numbers: bool
    threshold: int

    @property
    def headlines(self):
        return [headline for section in self.sections for headline in section.headlines]

    def tables(self):
        return [figure.table for section in self.sections for figure in section.figures]

    def table(self, slug):
        """The table named ``slug``, or None."""
        return next((table for table in self.tables() if table.slug == slug), None)

    def render_charts(self, nonce=None):
        """Draw every chart as SVG: with the response's CSP nonce for the page, without for the PDF."""
        for section in self.sections:
            for figure in section.figures:
                if figure.chart is not None:
                    figure.svg = charts.render(figure.chart, nonce=nonce, description=IN_TABLE)
        return self
