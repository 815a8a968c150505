"""The report's stance section (issue 6): the actor x outlet chart, its evidence, thin cells, and escaping."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from builders import NEG, NEU, POS, stance_document
from rashomon.model import Document, Story
from rashomon.report.html import build_view, render_report

DAY = dt.date(2024, 8, 1)
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
BREAKOUT = '"><script>alert(2)</script>'

ALPHA = stance_document(
    "Alpha",
    [
        ("Maduro crushed the protests.", [("Maduro", NEG)]),
        ("Guaidó rallied crowds against Maduro.", [("Guaidó", POS), ("Maduro", NEG)]),
        ("Maduro lost the vote in Caracas.", [("Maduro", NEG), ("Caracas", NEU)]),
        ("«Maduro is our president», a supporter said.", [("Maduro", POS)]),
    ],
)
BETA = stance_document("Beta", [("Maduro spoke in Caracas.", [("Maduro", NEU), ("Caracas", NEU)])])


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


def section(page: str) -> str:
    return page[page.index('<section id="stance">') : page.index('<section id="articles">')]


def test_stance_rows_and_cells() -> None:
    view = build_view([ALPHA, BETA], (), title="t", generated=DAY)
    assert view.stance_outlets == ("Alpha", "Beta")
    maduro = next(r for r in view.stance if r.name == "Maduro")
    assert not maduro.minor and maduro.mentions == 5
    alpha, beta = maduro.cells
    assert alpha is not None and beta is not None
    assert (alpha.counts, alpha.few, alpha.direction) == ("3/0/1", False, "negative")
    assert alpha.score == "-0.29" and alpha.bar_left == "35.7%" and alpha.bar_width == "14.3%"
    assert beta.few and beta.counts == "0/1/0" and beta.bar_width == "0.0%"
    assert "1 inside quotes" in alpha.tip and "[Maduro]" in alpha.tip and "negative:" in alpha.tip
    assert "few mentions" in beta.tip and "few mentions" not in alpha.tip
    assert alpha.anchor == f"article-{ALPHA.id}"
    guaido = next(r for r in view.stance if r.name == "Guaidó")
    assert guaido.minor and guaido.cells[1] is None  # one outlet only: collapsed, no Beta cell


def test_stance_section_in_the_page() -> None:
    page = render_report([ALPHA, BETA], [Story("s", "Maduro", (ALPHA.id, BETA.id))], generated=DAY)
    assert '<a href="#stance">Stance × outlets</a>' in page
    part = section(page)
    assert 'id="stance-maduro"' in part and "stance-cell few" in part
    assert "1 more scored in one outlet only" in part
    links = [a for t, a in tags(part) if t == "a" and "stance-link" in (a.get("class") or "")]
    assert links and all((a.get("href") or "").startswith("#article-") for a in links)
    assert all("mention" in (a.get("title") or "") for a in links)  # the evidence on hover
    # Each article's entity list shows the actor's stance in it.
    assert re.search(r'class="entity-stance s-\w+"[^>]*>-0\.29 \(3/0/1\)<', page)


def test_no_stances_say_so() -> None:
    bare = Document(ALPHA.article, entities=ALPHA.entities)
    part = section(render_report([bare], [], generated=DAY))
    assert "No scored mentions" in part and "<table" not in part


def test_untrusted_names_and_outlets_are_escaped_in_the_chart() -> None:
    hostile = stance_document(
        IMG, [(f"{SCRIPT} attacked {BREAKOUT}.", [(SCRIPT, NEG), (BREAKOUT, POS)]), ("Then Maduro.", [("Maduro", NEU)])]
    )
    other = stance_document(BREAKOUT, [(f"{SCRIPT} won.", [(SCRIPT, POS)])])
    page = render_report([hostile, other], [], title="t", generated=DAY)
    part = section(page)
    assert [t for t, _ in tags(page) if t in ("script", "img")] == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in part and "&lt;img src=x onerror=alert(1)&gt;" in part
    for _, attrs in tags(part):
        assert all(not k.startswith("on") for k in attrs)  # no attribute broke out of its quotes
        assert re.fullmatch(r"[A-Za-z0-9_#-]*", attrs.get("id") or attrs.get("href") or "")
