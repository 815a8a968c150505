"""The HTML report: untrusted data is escaped everywhere, the page is self-contained, the sections right."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builders import label_at
from rashomon.corpus.events import find_events
from rashomon.corpus.quotes import QuoteMatch, QuoteRef, find_quote_matches
from rashomon.model import (
    Article,
    ArticleMeta,
    Attribution,
    Document,
    Entity,
    EntityType,
    Mention,
    Quote,
    QuoteKind,
    RemovedLine,
    SourceFormat,
    Span,
    Story,
)
from rashomon.nlp.encoder import embed_articles
from rashomon.report.html import highlight, render_report, safe_url, write_report

DAY = dt.date(2024, 8, 1)
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
BREAKOUT = '"><script>alert(2)</script>'


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


def span_of(text: str, words: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words))


def make_doc(
    text: str,
    *,
    outlet: str | None = "Outlet",
    title: str | None = None,
    url: str | None = None,
    published: dt.date | None = DAY,
    entities: tuple[Entity, ...] = (),
    quotes: tuple[Quote, ...] = (),
    removed: tuple[RemovedLine, ...] = (),
    path: str = "a.txt",
) -> Document:
    meta = ArticleMeta(path, url=url, outlet=outlet, title=title, published=published)
    return Document(
        Article.create(text, meta, SourceFormat.TEXT, removed=removed), "en", entities=entities, quotes=quotes
    )


def quote_of(
    text: str, words: str, speaker: str | None, speaker_id: str | None, kind: QuoteKind = QuoteKind.DIRECT
) -> Quote:
    cue = "said" if "said" in text else None
    return Quote(
        words,
        (span_of(text, words),),
        kind,
        speaker=speaker,
        speaker_id=speaker_id,
        cue=cue,
        cue_span=span_of(text, "said") if cue else None,
        attribution=Attribution.CUE_AFTER if cue else Attribution.NONE,
    )


def hostile_docs() -> list[Document]:
    text_a = f"Intro {SCRIPT} and {IMG}.\n“We reject {SCRIPT} and {IMG},” {BREAKOUT} said on Monday.\n"
    speaker = Entity(
        "evil",
        BREAKOUT,
        EntityType.PERSON,
        (Mention(span_of(text_a, BREAKOUT), BREAKOUT),),
        labels=(label_at(text_a, IMG), label_at(text_a, BREAKOUT)),
    )
    org = Entity(
        "org", SCRIPT, EntityType.ORGANIZATION, (Mention(span_of(text_a, SCRIPT), SCRIPT),), (label_at(text_a, SCRIPT),)
    )
    a = make_doc(
        text_a,
        outlet=BREAKOUT,
        title=f"{BREAKOUT} {IMG}",
        url="javascript:alert(1)",
        entities=(speaker, org),
        quotes=(quote_of(text_a, f"We reject {SCRIPT} and {IMG},", BREAKOUT, "evil"),),
        removed=(RemovedLine(3, SCRIPT, BREAKOUT),),
        path=f"{BREAKOUT}.txt",
    )
    # The same quote in another outlet, reworded: the comparison view builds markup around differing words.
    text_b = f"“We reject {SCRIPT} {IMG} totally,” said {BREAKOUT}.\n"
    b = make_doc(
        text_b,
        outlet=f"{IMG}",
        title=None,  # untitled: the first line of the hostile text becomes the title
        url='https://example.org/"onmouseover="alert(1)',
        entities=(Entity("evil", BREAKOUT, EntityType.PERSON, (Mention(span_of(text_b, BREAKOUT), BREAKOUT),)),),
        quotes=(quote_of(text_b, f"We reject {SCRIPT} {IMG} totally,", BREAKOUT, "evil"),),
        path="b.txt",
    )
    return [a, b]


def hostile_page() -> str:
    docs = hostile_docs()
    stories = (Story("s1", f"{SCRIPT} · {BREAKOUT}", tuple(d.id for d in docs)),)
    return render_report(docs, stories, title=f"Report {BREAKOUT}", generated=DAY)


def test_no_executable_markup_from_article_data() -> None:
    page = hostile_page()
    elements = parse(page)
    tags = [tag for tag, _ in elements.tags]
    assert "script" not in tags
    assert "img" not in tags
    for tag, attrs in elements.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
    # The payloads are shown as the text they are, escaped in the source.
    text = "".join(elements.text)
    assert SCRIPT in text and IMG in text and BREAKOUT in text
    assert html.escape(SCRIPT, quote=False) in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page.lower()
    # the paths that build markup around untrusted words were all taken
    assert '<mark class="q q-direct"' in page and '<mark class="diff"' in page and "<del " in page


def test_unsafe_urls_are_not_links() -> None:
    elements = parse(hostile_page())
    hrefs = [attrs.get("href") or "" for tag, attrs in elements.tags if tag == "a"]
    assert all(h.startswith("#") for h in hrefs)  # neither hostile URL became a link


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),
        ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        (" data:text/html,<script>alert(1)</script>", None),
        ('https://x.org/"onmouseover="alert(1)', None),
        ("//evil.example/x", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_page_is_self_contained() -> None:
    page = hostile_page()
    elements = parse(page)
    tags = [tag for tag, _ in elements.tags]
    assert "link" not in tags and "iframe" not in tags and "object" not in tags
    assert not [attrs for _, attrs in elements.tags if "src" in attrs]
    assert "@import" not in page and "url(" not in page
    # a Content-Security-Policy that forbids scripts and fetching anything, should escaping ever fail
    csp = [a["content"] for t, a in elements.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0] or "")


# --- highlighting from offsets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "marks", "expected"),
    [
        ("a <b> c", [(Span(2, 5), "q", "t", "")], 'a <mark class="q" title="t">&lt;b&gt;</mark> c'),
        ("plain", [], "plain"),
        (
            "x&y",
            [(Span(0, 3), "q", '"><script>', 'i"d')],
            '<mark class="q" id="i&#34;d" title="&#34;&gt;&lt;script&gt;">x&amp;y</mark>',
        ),
        # overlapping marks: the earlier one wins, the later one is dropped
        (
            "abcdef",
            [(Span(1, 4), "a", "", ""), (Span(2, 5), "b", "", "")],
            'a<mark class="a" title="">bcd</mark>ef',
        ),
        # spans beyond the text, and empty spans, are ignored
        ("abc", [(Span(1, 9), "a", "", ""), (Span(1, 1), "b", "", "")], "abc"),
        # marks need not come in order
        (
            "abcd",
            [(Span(2, 3), "b", "", ""), (Span(0, 1), "a", "", "")],
            '<mark class="a" title="">a</mark>b<mark class="b" title="">c</mark>d',
        ),
    ],
)
def test_highlight(text: str, marks: list[tuple[Span, str, str, str]], expected: str) -> None:
    assert str(highlight(text, marks)) == expected


def test_quote_spans_highlighted_in_article_text() -> None:
    text = "Intro line.\n“We will win,” Maduro said.\nThe end.\n"
    d = make_doc(text, quotes=(quote_of(text, "We will win,", "Nicolás Maduro", "nicolas-maduro"),))
    page = render_report([d], [Story("s", "label", (d.id,))], generated=DAY)
    assert '<mark class="q q-direct" id="quote-' in page
    assert ">We will win,</mark>" in page
    assert '<mark class="cue" title="cue of quote 1">said</mark>' in page


# --- sections ---------------------------------------------------------------------------------------------


def corpus() -> tuple[list[Document], list[Story]]:
    t1 = "Socialist Mr Maduro spoke. “What I condemn is the violence that has been done by all sides,” he said."
    t2 = (
        "“What I condemn is the violence done by any side, by all sides, in all this,” Jeremy Corbyn said. "
        "President Maduro."
    )
    t3 = "A football match was played in the rain. Nobody said anything.\n"
    maduro1 = Entity(
        "nicolas-maduro",
        "Nicolás Maduro",
        EntityType.PERSON,
        (Mention(span_of(t1, "Maduro"), "Maduro"),),
        (label_at(t1, "Socialist"),),
    )
    maduro2 = Entity(
        "nicolas-maduro",
        "Nicolás Maduro",
        EntityType.PERSON,
        (Mention(span_of(t2, "Maduro"), "Maduro"),),
        (label_at(t2, "President"),),
    )
    corbyn1 = Entity("jeremy-corbyn", "Jeremy Corbyn", EntityType.PERSON, (Mention(span_of(t1, "he said"), "he"),))
    corbyn2 = Entity(
        "jeremy-corbyn",
        "Jeremy Corbyn",
        EntityType.PERSON,
        (Mention(span_of(t2, "Jeremy Corbyn"), "Jeremy Corbyn"),),
    )
    venezuela = Entity("venezuela", "Venezuela", EntityType.LOCATION, (Mention(Span(0, 1), "S"),))
    d1 = make_doc(
        t1,
        outlet="UK politics site",
        title="Corbyn on Venezuela",
        url="https://example.org/1",
        entities=(maduro1, corbyn1, venezuela),
        quotes=(
            quote_of(
                t1,
                "What I condemn is the violence that has been done by all sides,",
                "Jeremy Corbyn",
                "jeremy-corbyn",
            ),
        ),
        removed=(RemovedLine(9, "Share this article", "share-buttons"),),
        path="1.txt",
    )
    d2 = make_doc(
        t2,
        outlet="UK broadcaster",
        published=None,
        entities=(maduro2, corbyn2),
        quotes=(
            quote_of(
                t2,
                "What I condemn is the violence done by any side, by all sides, in all this,",
                "Jeremy Corbyn",
                "jeremy-corbyn",
            ),
        ),
        path="2.txt",
    )
    fifa = Entity("fifa", "FIFA", EntityType.ORGANIZATION, (Mention(Span(0, 1), "A"),))
    d3 = make_doc(t3, outlet="Sports desk", title="Rain", entities=(fifa,), path="3.txt")
    stories = [
        Story("s-corbyn", "Corbyn · Maduro", (d1.id, d2.id)),
        Story("s-rain", "football · rain", (d3.id,)),
    ]
    return [d1, d2, d3], stories


@pytest.fixture(scope="module")
def page() -> str:
    docs, stories = corpus()
    return render_report(docs, stories, title="Test report", generated=DAY)


def section(page: str, section_id: str) -> str:
    start = page.index(f'<section id="{section_id}">')
    return page[start : page.index("</section>", start)]


def test_summary_and_contents(page: str) -> None:
    elements = parse(page)
    assert "<title>Test report</title>" in page
    stats = "".join(elements.text)
    for label, value in [
        ("Articles", "3"),
        ("Outlets", "3"),
        ("Stories", "2"),
        ("Quotes", "2"),
        ("Speakers", "1"),
    ]:
        assert f"{label}{value}" in stats.replace("\n", "").replace(" ", "")
    hrefs = {a.get("href") for t, a in elements.tags if t == "a"}
    ids = {a.get("id") for _, a in elements.tags}
    assert {"#stories", "#voices", "#actors", "#articles"} <= hrefs
    internal = {h for h in hrefs if h and h.startswith("#")}
    assert {h[1:] for h in internal} <= ids  # every internal link has a target


def test_stories_section(page: str) -> None:
    stories = section(page, "stories")
    assert stories.index("Corbyn · Maduro") < stories.index("football · rain")
    assert "UK politics site" in stories and "UK broadcaster" in stories and "Sports desk" in stories
    assert "Corbyn on Venezuela" in stories
    assert "2 articles · 2 outlets" in stories


def test_voices_group_one_quote_across_outlets(page: str) -> None:
    voices = section(page, "voices")
    assert voices.count('class="card voice"') == 1  # one speaker, Jeremy Corbyn, by speaker_id
    assert "Carried by 2 outlets" in voices and "wording differs" in voices
    # The fuller version comes first; the other marks what it has extra and strikes what it leaves out.
    assert voices.index("UK broadcaster") < voices.index("UK politics site")
    assert '<mark class="diff" title="not in the fullest version">that has been</mark>' in voices
    assert '<del title="left out here">by any side,</del>' in voices
    assert "in all this" not in voices.split("UK politics site")[1]  # words past its end are not "left out"


def test_voices_use_the_given_matches() -> None:
    docs, stories = corpus()
    d1, d2, _ = docs
    # No stored matches: the two versions are shown apart, even though they are one quote.
    voices = section(render_report(docs, stories, generated=DAY, matches=[]), "voices")
    assert "Carried by" not in voices and voices.count('class="group"') == 2
    # Stored matches are used as given, not recomputed.
    given = [QuoteMatch("g", (QuoteRef(d1.id, 0), QuoteRef(d2.id, 0)))]
    assert render_report(docs, stories, generated=DAY, matches=given) == render_report(docs, stories, generated=DAY)
    # A stored group that names a quote no longer there (the article was re-analysed) is shown without it.
    stale = [QuoteMatch("g", (QuoteRef(d1.id, 0), QuoteRef(d2.id, 5)))]
    voices = section(render_report(docs, stories, generated=DAY, matches=stale), "voices")
    assert voices.count('class="version"') == 2 and "Carried by" not in voices


def test_a_group_attributed_differently_is_shown_under_each_speaker() -> None:
    docs, stories = corpus()
    d1, _, d3 = docs
    # The politics site's words and a few more, credited to no one: one quote on its words alone.
    text = "“What I condemn is the violence that has been done by all sides, in all this,” a statement said."
    words = "What I condemn is the violence that has been done by all sides, in all this,"
    d2 = make_doc(text, outlet="UK broadcaster", quotes=(quote_of(text, words, None, None),), path="2.txt")
    docs = [d1, d2, d3]
    voices = section(render_report(docs, stories, generated=DAY), "voices")
    assert voices.count('class="card voice"') == 2  # Jeremy Corbyn, and the unattributed
    assert voices.count("attributed differently") == 2  # the group is shown in both cards, with every version
    corbyn, rest = voices.split('id="voice-unattributed"')
    assert '<span class="other-speaker">attributed to Unattributed</span>' in corbyn
    assert '<span class="other-speaker">attributed to Jeremy Corbyn</span>' in rest


def test_voice_share_section(page: str) -> None:
    shares = section(page, "voice-share")
    elements = parse(shares)
    charts = shares.split('<article class="card share"')[1:]
    # One chart per outlet (by name), then the story told by several articles.
    titles = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<h3 ?[^>]*>(.*?)</h3>", shares)]
    assert titles == [
        "By outlet",
        "Sports desk",
        "UK broadcaster",
        "UK politics site",
        "By story",
        "Corbyn · Maduro",
    ]
    assert "1 article · 0 quotes · 0 quoted words" in charts[0] and "No quotes." in charts[0]
    # The broadcaster quotes Corbyn for all of its 16 quoted words, all of them direct.
    assert "1 article · 1 quote · 16 quoted words" in charts[1]
    assert 'style="width: 100.0%"' in charts[1] and 'style="width: 0.0%"' in charts[1]
    assert '<a href="#voice-jeremy-corbyn">Jeremy Corbyn</a>' in charts[1]
    # The story: 13 + 16 words, all Corbyn's
    assert "2 articles · 2 quotes · 29 quoted words" in charts[3] and '<a href="#story-s-corbyn">' in charts[3]
    styles = [a["style"] for _, a in elements.tags if "style" in a]
    assert styles and all(re.fullmatch(r"width: \d{1,3}\.\d%", st or "") for st in styles)


def test_voice_share_lists_the_top_speakers_and_sums_up_the_rest() -> None:
    text = " ".join(f"“Words of speaker {n} here,” Speaker{n} said." for n in range(12))
    quotes = tuple(quote_of(text, f"Words of speaker {n} here,", f"Speaker{n}", f"speaker{n}") for n in range(12))
    page = render_report([make_doc(text, outlet="Wire", quotes=quotes)], [], generated=DAY)
    chart = section(page, "voice-share")
    assert chart.count("<tr>") == 8 + 1 + 1  # the header, eight speakers, and "4 more speakers"
    assert "4 more speakers" in chart and "33.3%" in chart  # 4 × 5 of 60 words


def test_actor_table(page: str) -> None:
    actors = section(page, "actors")
    main, minor = actors.split('<details class="minor-actors">')
    headers = [t for t, _ in parse(main).tags if t == "th"]
    assert len(headers) == 1 + 3 + 2  # "Actor", three outlets, two actors named by two outlets
    rows = main.split("<tr")[2:]
    maduro = next(r for r in rows if 'id="actor-nicolas-maduro"' in r)
    cells = maduro.split("<td")[1:]
    # columns: Sports desk, UK broadcaster, UK politics site (alphabetical)
    assert 'class="absent"' in cells[0]
    assert "President" in cells[1]
    assert "Socialist" in cells[2]
    # each label is one outlet's own, links to the article using it, and shows the words around it on hover
    assert cells[2].count('class="label exclusive"') == 1 and 'href="#article-' in cells[2]
    assert "…[Socialist] Mr Maduro spoke." in cells[2]
    corbyn = next(r for r in rows if 'id="actor-jeremy-corbyn"' in r)
    assert corbyn.count('class="named"') == 2  # named by both, labelled by neither
    assert "Venezuela" not in actors  # places are not actors
    # an actor only one outlet names, without a label, has nothing to compare: it is listed collapsed
    assert "FIFA" in minor and "FIFA" not in main
    assert "1 more named by one outlet, without labels" in minor


def test_article_section(page: str) -> None:
    articles = section(page, "articles")
    assert articles.count('class="card article"') == 3
    assert '<a href="https://example.org/1" rel="noopener noreferrer nofollow">' in articles
    assert '<details class="removed">' in articles and "Share this article" in articles and "share-buttons" in articles
    assert "undated" in articles
    assert '<span class="label">Socialist</span>' in articles


def test_article_cards_chart_their_own_voice_share(page: str) -> None:
    articles = section(page, "articles")
    # The two articles that quote someone get a chart; the sports article, with no quote, none.
    assert articles.count("<h4>Voice share</h4>") == 2
    first = articles[: articles.index('class="card article"', articles.index('class="card article"') + 1)]
    assert "<h4>Voice share</h4>" in first and "Jeremy Corbyn" in first[first.index("<h4>Voice share</h4>") :]


def test_empty_report() -> None:
    page = render_report([], [], generated=DAY)
    assert "No articles." in page and "No quotes were found." in page


def test_deterministic(page: str) -> None:
    docs, stories = corpus()
    assert render_report(docs, stories, title="Test report", generated=DAY) == page


def test_write_report(tmp_path: Path) -> None:
    docs, stories = corpus()
    out = write_report(tmp_path / "build" / "report.html", docs, stories, generated=DAY)
    assert out.read_text(encoding="utf-8") == render_report(docs, stories, generated=DAY)


# --- acceptance: the example corpus -----------------------------------------------------------------------


def test_examples_report_shows_the_corbyn_versions_and_voice_share(linked_examples: list[Document]) -> None:
    vectors = embed_articles((d.article.meta.title, d.text) for d in linked_examples)
    stories = find_events(linked_examples, {d.id: v for d, v in zip(linked_examples, vectors, strict=True)}).stories
    matches = find_quote_matches(linked_examples)
    page = render_report(linked_examples, stories, generated=DAY, matches=matches)
    voices = section(page, "voices")
    # The broadcaster's fuller version first; the politics site's is compared with it.
    assert "Carried by 2 outlets" in voices
    assert voices.index("that&#39;s been done by any side") < voices.index("that has</mark> been done")
    assert 'in <del title="left out here">all</del> this.' in voices
    dedicated = 'dedicated <del title="left out here">towards</del> '
    assert dedicated + '<mark class="diff" title="not in the fullest version">to</mark> reducing' in voices
    shares = section(page, "voice-share")
    assert shares.count('<article class="card share"') == 5 + sum(1 for s in stories if len(s.article_ids) > 1)
    assert '<a href="#voice-jeremy-corbyn">Jeremy Corbyn</a>' in shares
