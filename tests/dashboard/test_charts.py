"""Charts as SVG: titled, labelled for screen readers, never colour alone, and fit for a strict CSP."""

import re

from lxml import etree

from dashboard import charts

SVG = "{http://www.w3.org/2000/svg}"


def _svg(markup):
    return etree.fromstring(markup.encode())


def test_a_bar_chart_labels_every_bar_and_patterns_every_series_after_the_first():
    chart = charts.bar_chart(
        "Case reviews in Scotland by quarter",
        labels=["2017-18 Q1", "2017-18 Q2"],
        series=[("Initial ICRs", [19, 22]), ("Full ICRs", [2, None]), ("SCRs", [0, 1])],
        x_title="Quarter",
        y_title="Number",
    )
    svg = charts.render(chart, nonce="n0nce", description="The figures are in the table below the chart.")
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    assert 'aria-label="Case reviews in Scotland by quarter. The figures are in the table below the chart."' in svg
    assert "<title>Case reviews in Scotland by quarter</title>" in svg
    for text in ("Quarter", "Number", "Initial ICRs", "Full ICRs", "SCRs", ">19<", ">22<", ">2<"):
        assert text in svg, text
    # Stripes and dots for the second and third series, in the bars and their legend keys.
    assert svg.count("<pattern ") == 2
    assert re.search(
        r"\.color-1 rect\.rect, #chart-[\w-]+ \.legend rect\.color-1\{fill:url\(#chart-[\w-]+-pattern-1\)", svg
    )
    assert '<style type="text/css" nonce="n0nce">' in svg
    assert "<script" not in svg and " style=" not in svg and "<desc" not in svg


def test_a_heat_strip_writes_each_level_in_its_cell():
    chart = charts.strip_chart(
        "Progress at NSG meetings",
        rows=[("1. ERA standards", [1, 2]), ("2. ViSOR", [None, 0])],
        columns=["16 February 2017", "31 May 2017"],
        levels=["Not yet started", "Some progress", "Significant progress", "Complete"],
    )
    svg = charts.render(chart)
    labels = [label.text for label in _svg(svg).iter(f"{SVG}text") if label.get("class") == "label"]
    assert sorted(labels) == ["Not yet started", "Significant progress", "Some progress"]
    assert "16 February 2017" in svg and "1. ERA standards" in svg
    assert "nonce=" not in svg  # for the PDF: no CSP there
    assert "<pattern" not in svg


def test_two_charts_on_one_page_share_no_ids():
    first = charts.render(charts.bar_chart("A", labels=["x"], series=[("One", [1]), ("Two", [2])]))
    second = charts.render(charts.bar_chart("B", labels=["x"], series=[("One", [1]), ("Two", [2])]))
    ids = [element.get("id") for chart in (first, second) for element in _svg(chart).iter() if element.get("id")]
    assert len(ids) == len(set(ids)) == 4  # each chart's own id and its pattern's
