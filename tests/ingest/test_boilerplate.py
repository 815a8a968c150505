"""The boilerplate rules: what each removes, what none may remove, and the record of removals."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.ingest.boilerplate import RULES, matching_rule, remove_boilerplate
from rashomon.model import RemovedLine

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ingest.md"
SIGNUP = "Sign up here to get the latest news, updates and special offers delivered directly to your inbox."


@pytest.mark.parametrize(
    ("line", "rule"),
    [(example, rule.name) for rule in RULES for example in rule.examples],
)
def test_every_documented_example_is_removed_by_its_rule(line: str, rule: str) -> None:
    found = matching_rule(line)
    assert found is not None and found.name == rule


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("- Advertisement -", "advertisement"),
        ("Advertisement", "advertisement"),
        ("  ADVERTISEMENT  ", "advertisement"),
        ("— Advertisement —", "advertisement"),
        ("Advertisement - scroll to continue reading", "advertisement"),
        ("Subscribe to our newsletter", "newsletter"),
        ("Sign up to our daily newsletter!", "newsletter"),
        (
            SIGNUP,
            "signup-prompt",
        ),
        ("Get real time updates directly on you device, subscribe now.", "subscribe-now"),
        ("0 2,736", "share-counter"),
        ("12 345 6.7K", "share-counter"),
        ("42 comments", "share-counter"),
        ("Police retreat as protesters throw explosives during clashes. Credit: AP", "photo-credit"),
        ("Mr Corbyn was criticised for his comments. Credit: PA", "photo-credit"),
        ("Protesters in Caracas. Photo: AFP via Getty Images", "photo-credit"),
        ("Juan Guaidó at a rally. Picture: Juan Barreto/AFP", "photo-credit"),
        ("Photo: Reuters", "photo-credit"),
        ("Nicolás Maduro speaks in Caracas (AP Photo/Ariana Cubillos)", "photo-credit"),
        ("Crowds gathered on Tuesday (Getty Images)", "photo-credit"),
        ("Image copyright AFP", "photo-credit"),
        ("Image caption Mr Guaidó declared himself interim president", "photo-credit"),
        ("READ MORE: Venezuela crisis explained", "read-more"),
        ("» Read more", "read-more"),
        ("See also: the timeline of the crisis", "read-more"),
        ("Related: Russia warns US", "related"),
        ("Related articles", "related"),
        ("Click here to subscribe", "click-here"),
        ("Follow us on Twitter", "follow-us"),
        ("Follow us on Facebook and Instagram for more", "follow-us"),
        ("Follow @RT_com", "follow-us"),
        ("Share this article", "share"),
        ("Share", "share"),
        ("Facebook | Twitter | Email", "share"),
        ("This website uses cookies to give you the best experience.", "cookie-notice"),
        ("By continuing to browse this site you agree to our use of cookies.", "cookie-notice"),
        ("Cookie policy", "cookie-notice"),
        ("© 2019 Example News Ltd", "copyright"),
        ("Copyright © 2019 Example News. All rights reserved.", "copyright"),
        ("Example Media Group. All rights reserved", "copyright"),
    ],
)
def test_boilerplate_lines(line: str, rule: str) -> None:
    found = matching_rule(line)
    assert found is not None, f"{line!r} should be removed by {rule!r}"
    assert found.name == rule


@pytest.mark.parametrize(
    "line",
    [
        # running prose that mentions what the rules look for
        "Readers who subscribe to the newsletter say they were not warned.",
        "The advertisement was pulled after complaints from the opposition.",
        "Advertisement revenue fell by a third, the company said.",
        "He urged supporters to subscribe to the party's newsletter and to sign up as volunteers.",
        "“Subscribe to our newsletter,” the banner read, next to a photograph of the president.",
        "Officials told residents to subscribe.",
        "The company told customers they should subscribe now.",
        # numbers among words
        "20 deaths were reported.",
        "Protests have led to at least 20 deaths, and reports indicate arrests.",
        "2,736 people signed the petition",
        "1. Socialist Party of Malaysia (PSM), Malaysia",
        # quotes and sentences ending in names or colons
        "“Violence is not going to solve the issue.”",
        "Mr Corbyn said: “What I condemn is the violence that's been done by any side.”",
        "The key question was credit: who would get it.",
        "He described the photo: a crowd on the motorway, waving flags.",
        "Asked about the picture: he said it was fake.",
        "The agency (AP) reported the deaths on Tuesday.",
        "Maduro thanked Russia, China and Cuba (his closest allies).",
        # words the rules use as labels, inside sentences
        "Related stories have appeared in the Russian press.",
        "Read more carefully, the statement says something else.",
        "Click here, the instructions said, and the page would load.",
        "Follow the money, investigators said.",
        "Join us on the streets on Saturday!",
        "Share prices fell sharply in Caracas.",
        "We use cookies, the regulator found, to track readers across sites without consent. " * 5,
        "Copyright law was reformed in 2019, the minister said.",
        "All rights reserved by the constitution must be respected, the court ruled on Tuesday.",
        "MAJOR: Russia backs Maduro against US-backed coup attempt",
        "Signed by,",
        "If your organisation also would like to be included as signatories, e-mail us at int.psm@gmail.com",
    ],
)
def test_article_text_is_kept(line: str) -> None:
    found = matching_rule(line)
    assert found is None, f"{line!r} wrongly matched {found.name if found else ''!r}"


def test_rule_names_are_unique_and_documented() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    docs = DOCS.read_text(encoding="utf-8")
    for name in names:
        assert f"`{name}`" in docs, f"rule {name!r} is missing from docs/ingest.md"


def test_removal_keeps_other_lines_and_records_line_numbers() -> None:
    text = "First paragraph.\n\n- Advertisement -\n\nSecond paragraph.\n0 2,736"
    cleaned = remove_boilerplate(text)
    assert cleaned.text == "First paragraph.\n\n\nSecond paragraph."
    assert cleaned.removed == (
        RemovedLine(3, "- Advertisement -", "advertisement"),
        RemovedLine(6, "0 2,736", "share-counter"),
    )


def test_text_without_boilerplate_is_unchanged() -> None:
    text = "  Indented line.\n\nAnother line.  \n"
    assert remove_boilerplate(text).text == text
    assert remove_boilerplate(text).removed == ()


def test_no_rules_removes_nothing() -> None:
    assert remove_boilerplate("- Advertisement -", rules=()).text == "- Advertisement -"


def test_real_article_003_loses_its_page_furniture(examples: Path) -> None:
    cleaned = remove_boilerplate((examples / "003_de6bcb39d1aac536.txt").read_text(encoding="utf-8"))
    assert cleaned.removed == (
        RemovedLine(3, "0 2,736", "share-counter"),
        RemovedLine(21, "- Advertisement -", "advertisement"),
        RemovedLine(35, "Subscribe to our newsletter", "newsletter"),
        RemovedLine(
            36,
            SIGNUP,
            "signup-prompt",
        ),
        RemovedLine(38, "Get real time updates directly on you device, subscribe now.", "subscribe-now"),
    )
    # the sentences around the removed lines stay
    assert "Venezuelan opposition leader Juan Guaidó called on Venezuelan civilians" in cleaned.text
    assert "“We can characterize this act as an act of terrorism" in cleaned.text
    assert cleaned.text.rstrip().endswith("as the only legitimate president of Venezuela.")


def test_real_article_001_loses_its_captions(examples: Path) -> None:
    cleaned = remove_boilerplate((examples / "001_cd2fdecf35351671.txt").read_text(encoding="utf-8"))
    assert cleaned.removed == (
        RemovedLine(17, "Police retreat as protesters throw explosives during clashes. Credit: AP", "photo-credit"),
        RemovedLine(27, "Mr Corbyn was criticised for his comments. Credit: PA", "photo-credit"),
    )
    assert '"Violence is not going to solve the issue."' in cleaned.text
    assert "Pressed on whether he regretted supporting Mr Maduro" in cleaned.text
    assert "Mr Corbyn has faced renewed criticism" in cleaned.text


@pytest.mark.parametrize("name", ["000_773654e305254d5b.txt", "002_94d3d73c42925208.txt", "004_fac259807c025de8.txt"])
def test_real_articles_without_furniture_keep_every_line(examples: Path, name: str) -> None:
    assert remove_boilerplate((examples / name).read_text(encoding="utf-8")).removed == ()
