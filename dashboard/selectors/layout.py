"""What the dashboard is made of: sections of figures, each a table and the chart drawn from it."""

from dataclasses import dataclass

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


@dataclass
class Section:
    slug: str
    title: str
    lead: list  # paragraphs that say what the figures mean
    figures: list


@dataclass
class Dashboard:
    scope: object  # dashboard.filters.Scope
    sections: list
    sees_small_numbers: bool
    threshold: int

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
