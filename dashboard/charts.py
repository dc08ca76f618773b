"""Charts drawn on the server as SVG with pygal, for the page and the PDF alike.

The same SVG goes inline into the HTML page (no JavaScript: pygal's tooltip script is
never included) and into the PDF. The page's Content Security Policy allows only our own
stylesheets and styles carrying the response's nonce, so the one ``<style>`` element pygal
writes into each chart gets the nonce (``render(chart, nonce=...)``); everything that pygal
would style through a ``style=""`` attribute (its hidden tooltip box) is taken out.

Colour never carries meaning alone: every bar is labelled with its value, every series is
named in the legend and, after the first, filled with a pattern (stripes, dots, cross-hatch)
as well as a colour, and every chart has its table of figures beside it.
"""

import re
from dataclasses import dataclass

import pygal
from lxml import etree
from pygal.style import Style

# GOV.UK colours with at least 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
COLOURS = ("#1d70b8", "#0b0c0c", "#00703c", "#4c2c92", "#d4351c", "#505a5f")
FONT = '"GDS Transport", arial, "Liberation Sans", "DejaVu Sans", sans-serif'

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    opacity="1",
    opacity_hover="1",
    transition="0ms",
    colors=COLOURS,
    font_family=FONT,
    title_font_size=20,
    label_font_size=15,
    major_label_font_size=15,
    legend_font_size=15,
    value_font_size=15,
    value_label_font_size=15,
    no_data_font_size=20,
)


@dataclass
class Chart:
    """A pygal chart with what ``render`` adds to its SVG."""

    graph: object  # a pygal chart, its series added
    patterned: bool = True  # fill the second series onwards with patterns
    rules: tuple = ()  # extra CSS for this chart: (selector, declarations), scoped to the chart


COMMON = {
    "style": STYLE,
    "disable_xml_declaration": True,
    "js": [],  # no tooltip script: the page works, and passes its CSP, without JavaScript
    "width": 800,
    "print_values": True,
    "print_zeroes": True,
    "truncate_label": -1,
    "truncate_legend": -1,
    "legend_at_bottom": True,
    "legend_box_size": 15,
    "margin": 16,
    "spacing": 12,
    "no_data_text": "No figures to show",
    # Values above the bars, in the text colour: legible on solid and patterned bars alike.
    "print_values_position": "top",
}

# SVG patterns for the second series onwards: (pattern markup, with {id} and {colour}).
PATTERNS = [
    # diagonal stripes
    '<pattern xmlns="http://www.w3.org/2000/svg" id="{id}" width="8" height="8" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
    '<rect width="4" height="8" fill="{colour}"/></pattern>',
    # dots
    '<pattern xmlns="http://www.w3.org/2000/svg" id="{id}" width="7" height="7" patternUnits="userSpaceOnUse">'
    '<rect width="7" height="7" fill="#ffffff"/><circle cx="3.5" cy="3.5" r="2.4" fill="{colour}"/></pattern>',
    # cross-hatch
    '<pattern xmlns="http://www.w3.org/2000/svg" id="{id}" width="8" height="8" patternUnits="userSpaceOnUse">'
    '<rect width="8" height="8" fill="#ffffff"/><path d="M0 0L8 8M8 0L0 8" stroke="{colour}" stroke-width="2"/>'
    "</pattern>",
]


def bar_chart(title, *, labels, series, x_title="", y_title="", horizontal=False, percent=False, shades=None):
    """A bar chart of ``series`` [(name, [value or None per label])]; None draws no bar.

    Horizontal charts grow with the number of labels so that every label stays legible.
    ``shades``: for a chart of one series whose labels are statuses, each bar's (text,
    background) colours, so a bar looks like its status's tag (filled with the background,
    edged in the text colour, which has the contrast against white that the fill lacks).
    """
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    bar_height = 34 if len(series) == 1 else 22 * len(series) + 16
    height = max(360, 120 + max(len(labels), 1) * bar_height) if horizontal else 480
    chart = kind(
        title=title,
        x_title=x_title,
        y_title=y_title,
        height=height,
        show_legend=len(series) > 1,
        x_label_rotation=0 if horizontal or len(labels) <= 6 else 30,
        **COMMON,
    )
    if percent:
        chart.range = (0, 100)
        chart.value_formatter = lambda value: f"{value:.0f}%"
    else:
        chart.value_formatter = lambda value: f"{value:.0f}"
        if max((v for _name, values in series for v in values if v is not None), default=0) < 5:
            chart.range = (0, 5)  # whole numbers on the axis, not 0.5 steps
    # pygal draws a horizontal chart's first label at the bottom: reversed, the chart reads top down like its table.
    order = (lambda items: list(reversed(items))) if horizontal else list
    chart.x_labels = order(labels)
    for name, values in series:
        if shades:
            values = [
                {"value": value, "style": f"fill:{background};stroke:{text};stroke-width:2"}
                for value, (text, background) in zip(values, shades, strict=True)
            ]
        chart.add(name, order(values))
    return Chart(chart, patterned=len(series) > 1, rules=((".text-overlay g.series text.value", "fill:#0b0c0c"),))


# Shades for a heat strip, lightest (lowest level) first: black text stays legible on each.
STRIP_SHADES = ("#f3f2f1", "#d2e2f1", "#8eb8dc", "#5694ca")


def strip_chart(title, *, rows, columns, levels, x_title="", y_title=""):
    """A heat strip: one row per item, one cell per date, shaded by level and labelled with it.

    ``rows`` is [(row name, [level index or None per column])] and ``levels`` the names of
    the levels, lowest first. Every cell carries its level's name as text, so the shade is
    never needed to read it; a date with no level leaves its cell empty.
    """
    chart = pygal.HorizontalStackedBar(
        title=title,
        x_title=x_title,
        y_title=y_title,
        show_legend=False,
        print_labels=True,
        height=max(320, 150 + 44 * len(rows)),
        **{**COMMON, "print_values": False, "print_values_position": "center", "width": 900, "spacing": 4},
    )
    rows = list(reversed(rows))  # top down, as in the table
    chart.x_labels = [name for name, _values in rows]
    chart.y_labels = [{"label": column, "value": index + 0.5} for index, column in enumerate(columns)]
    chart.range = (0, max(len(columns), 1))
    chart.show_y_guides = chart.show_x_guides = False
    for index, column in enumerate(columns):
        cells = []
        for _name, values in rows:
            level = values[index]
            cells.append(
                {"value": 1, "label": levels[level], "color": STRIP_SHADES[level % len(STRIP_SHADES)]}
                if level is not None
                else {"value": 1, "label": "", "color": "#ffffff"}
            )
        chart.add(column, cells)
    return Chart(
        chart,
        patterned=False,
        rules=(
            (".text-overlay g.series text", "fill:#0b0c0c;text-anchor:middle"),
            (".rect", "stroke:#ffffff;stroke-width:2"),
        ),
    )


PRESENTATION = {"fill", "stroke", "stroke-width", "fill-opacity", "stroke-opacity"}
# Geometry that pygal writes to 15 decimal places: a tenth of a pixel is as sharp, and a chart of
# 60 groups a fifth smaller (the national dashboard's HTML is mostly charts and tables).
GEOMETRY = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "d", "points", "transform"}
DECIMALS = re.compile(r"(-?\d+\.\d{2,})")


SCRIPT_CLASSES = {"reactive", "tooltip-trigger"}


def _shorter(value):
    return DECIMALS.sub(lambda match: f"{float(match.group(1)):.1f}", value)


def _tidy(root, nonce):
    """Make pygal's SVG fit for the page: no script, no style attributes, the nonce on its <style>."""
    for comment in root.xpath("//comment()"):
        comment.getparent().remove(comment)
    # The hidden tooltip box (style="opacity: 0") and the data that only its script reads.
    for node in root.xpath("//g[contains(@class, 'tooltip-overlay')] | //desc | //script"):
        node.getparent().remove(node)
    # Titles inside the chart are hover tips of guide lines ("0.25"): only the chart's own title stays.
    for node in root.iter("title"):
        if node.getparent() is not root:
            node.getparent().remove(node)
    for node in root.iter():
        # CSP refuses style="" attributes: the same declarations as presentation attributes do the same.
        declarations = node.attrib.pop("style", "")
        for declaration in declarations.split(";"):
            name, _, value = (part.strip() for part in declaration.partition(":"))
            if name in PRESENTATION and value:
                node.set(name, value)
        for name in GEOMETRY.intersection(node.attrib):
            node.set(name, _shorter(node.get(name)))
        # Square corners are the default, and the classes only pygal's tooltip script reads.
        for name in ("rx", "ry"):
            if node.get(name) == "0":
                del node.attrib[name]
        if node.get("class") == "":
            del node.attrib["class"]
        if node.tag == "text" and node.get("class") == "value" and node.get("text-anchor") == "middle":
            del node.attrib["text-anchor"]  # said once, in the chart's style (render)
        if "tooltip-trigger" in node.get("class", ""):
            node.set("class", " ".join(c for c in node.get("class").split() if c not in SCRIPT_CLASSES))
        # Ids that only pygal's script used, repeated in every chart of a page.
        if node.get("id", "").startswith("activate-serie"):
            del node.attrib["id"]
    if nonce:
        for node in root.iter("style"):
            node.set("nonce", nonce)


def _add_patterns(root, series_count):
    """Fill the second series onwards with a pattern in its colour, in the bars and the legend."""
    chart_id = root.get("id")
    defs = root.find("defs")
    rules = []
    for index in range(1, series_count):
        pattern_id = f"{chart_id}-pattern-{index}"
        colour = COLOURS[index % len(COLOURS)]
        defs.append(etree.fromstring(PATTERNS[(index - 1) % len(PATTERNS)].format(id=pattern_id, colour=colour)))
        rules.append(
            (
                f".color-{index} rect.rect, #{chart_id} .legend rect.color-{index}",
                f"fill:url(#{pattern_id});stroke:{colour};stroke-width:1.5",
            )
        )
    return rules


def render(chart, *, nonce=None, description=""):
    """The chart as inline SVG markup (a string), labelled for assistive technology.

    ``nonce`` is the response's CSP nonce (for the page); a PDF needs none. ``description``
    follows the title in the accessible name (e.g. where the figures are).
    """
    graph = chart.graph
    root = graph.render_tree()
    # pygal's id is "chart-" and a UUID, written into every one of its style rules: the first 8 hex
    # digits are as unlikely to meet another chart's on a page, and save a few KiB a chart.
    chart_id = root.get("id")[:14]
    root.set("id", chart_id)
    style = root.find("defs").find("style")
    style.text = "}".join(
        rule for rule in (style.text or "").replace(graph.uuid, graph.uuid[:8]).split("}") if ".tooltip" not in rule
    )
    rules = [("text.value", "text-anchor:middle"), *chart.rules]
    if chart.patterned:
        rules += _add_patterns(root, len(graph.raw_series))
    style.text = (style.text or "") + "\n" + "".join(f"#{chart_id} {selector}{{{body}}}" for selector, body in rules)
    _tidy(root, nonce)
    title = graph.config.title or ""
    root.set("role", "img")
    root.set("aria-label", f"{title}. {description}" if description else title)
    root.set("class", f"{root.get('class', '')} app-chart__svg".strip())
    return etree.tostring(root, encoding="unicode")
