"""Reading a page as a user's browser would: through an HTML parser, not regular expressions.

    page = html.page(response)                       # the parsed document
    html.text(page.xpath("//h1")[0])                 # "Meetings", whitespace collapsed
    html.one(page, '//*[@id="register"]')            # the one element, or the test fails
    html.texts(page, '//table//a')                   # the words of each link in the table
    html.checked(page, "status")                     # values of the ticked boxes named "status"

XPath because lxml (a dependency already, for the charts) answers it without adding a CSS
selector library.
"""

from lxml import html as lxml_html


def page(response_or_markup):
    markup = response_or_markup if isinstance(response_or_markup, str) else response_or_markup.content.decode()
    return lxml_html.document_fromstring(markup)


def text(element):
    """The words of an element as a reader sees them: a space where a tag was, whitespace
    collapsed, none before a comma or full stop."""
    words = " ".join(" ".join(element.itertext()).split())
    return words.replace(" ,", ",").replace(" .", ".")


def one(root, xpath):
    found = root.xpath(xpath)
    assert len(found) == 1, f"{len(found)} elements match {xpath}"
    return found[0]


def texts(root, xpath):
    return [text(element) for element in root.xpath(xpath)]


def checked(root, name):
    """The values of the ticked radios or checkboxes called ``name``."""
    return [box.get("value") for box in root.xpath(f'//input[@name="{name}"][@checked]')]


def selected(root, name):
    """The values of the chosen options of the drop-down called ``name``."""
    return [option.get("value") for option in root.xpath(f'//select[@name="{name}"]//option[@selected]')]
