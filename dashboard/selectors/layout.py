"""What the dashboard is made of: sections of figures, each a table and the chart drawn from it."""

from dataclasses import dataclass, field

from dashboard import charts
from dashboard.tables import Table

IN_TABLE = "The figures are in the table below the chart."
# A folded table longer than LONG rows (at national scale, an area or a quarter a row: thousands) shows
# only its first FOLDED_ROWS on the page, and its chart is drawn on the table's own page (dashboard:table),
# every row 50 a page; the files hold it whole. So the national dashboard's page stays under 300 KiB.
LONG = 20
FOLDED_ROWS = 6


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

    @property
    def shortened(self):
        """Whether the page shows only the first FOLDED_ROWS of this table, and not its chart."""
        return self.folded and len(self.table.rows) > LONG


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
    page: str = ""  # the page's HTML below the filters, once drawn (dashboard.cache.drawn_board)

    @property
    def headlines(self):
        return [headline for section in self.sections for headline in section.headlines]

    def tables(self):
        return [figure.table for section in self.sections for figure in section.figures]

    def figure(self, slug):
        """The figure whose table is named ``slug``, or None."""
        figures = (figure for section in self.sections for figure in section.figures)
        return next((figure for figure in figures if figure.table.slug == slug), None)

    def table(self, slug):
        """The table named ``slug``, or None."""
        figure = self.figure(slug)
        return figure.table if figure else None

    def render_charts(self, nonce=None):
        """Draw every chart not yet drawn as SVG: with the response's CSP nonce for the page, without for the PDF."""
        for section in self.sections:
            for figure in section.figures:
                if figure.chart is not None and not figure.svg:
                    figure.svg = charts.render(figure.chart, nonce=nonce, description=IN_TABLE)
        return self

    def set_nonce(self, nonce, *, drawn_with):
        """Charts drawn with the nonce ``drawn_with`` (dashboard.cache draws them once for every reader)
        carry ``nonce`` instead: the response's, for a page; none for the PDF."""
        old, new = f' nonce="{drawn_with}"', (f' nonce="{nonce}"' if nonce else "")
        for section in self.sections:
            for figure in section.figures:
                figure.svg = figure.svg.replace(old, new)
        self.page = self.page.replace(old, new)
        return self
