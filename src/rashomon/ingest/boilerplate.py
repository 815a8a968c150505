"""Removing lines that are page furniture, not article text: ads, sign-up prompts, share counters, captions.

Articles copied from web pages keep bits of the page around them ("- Advertisement -", "0 2,736",
"Subscribe to our newsletter"). Each `Rule` recognises one kind of such line by regular expressions matched
against the whole (stripped) line, so a sentence that merely mentions an advertisement or a newsletter is
never touched. The rules favour precision over recall: a leftover ad label costs less than a lost sentence.
Every removal is recorded as a `RemovedLine` with the rule's name, so users can see what was dropped and why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.model import RemovedLine

# Dashes, bullets and arrows that decorate labels such as "- Advertisement -" or "» Read more".
_DECOR = r"[\s\-–—•·*|_=~>»›<«‹]*"
# Social networks named by "follow us" lines.
_NETWORKS = r"(?:twitter|x|facebook|instagram|telegram|linkedin|youtube|tiktok|threads|bluesky|mastodon|whatsapp)"
# A photo credit: capitalised names such as "AP", "Getty Images", "John Smith/Reuters", "AFP via Getty
# Images". Case-sensitive, and with no final full stop: that is what tells it from the end of a sentence.
_CREDIT = r"(?-i:[A-Z][\w&'’./-]*(?:\s(?:via|for|and|of)?\s?[A-Z][\w&'’./-]*){0,7})"
# News and picture agencies whose name in brackets at the end of a line marks it as a caption.
_AGENCIES = (
    r"(?-i:Getty Images|Reuters|REUTERS|AFP|AP|AP Photo|EPA|EPA-EFE|PA|PA Wire|PA Media|Shutterstock"
    r"|Alamy|Bloomberg|Xinhua|Anadolu Agency|EFE|dpa|DPA|TASS|Sputnik|RIA Novosti|Pool)"
)
# Lines longer than this are article text whatever they say; captions may be long, labels are not.
DEFAULT_MAX_CHARS = 200


@dataclass(frozen=True, slots=True)
class Rule:
    """A named kind of boilerplate line; ``pattern`` must match the whole stripped line."""

    name: str
    pattern: re.Pattern[str]
    description: str
    examples: tuple[str, ...]  # lines the rule removes: documentation, and checked by the tests
    max_chars: int = DEFAULT_MAX_CHARS

    def matches(self, line: str) -> bool:
        stripped = line.strip()
        return bool(stripped) and len(stripped) <= self.max_chars and self.pattern.fullmatch(stripped) is not None


def _rule(
    name: str,
    description: str,
    examples: tuple[str, ...],
    alternatives: tuple[str, ...],
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Rule:
    """A case-insensitive rule matching a line that any of ``alternatives`` matches in full."""
    pattern = re.compile("|".join(f"(?:{alt})" for alt in alternatives), re.IGNORECASE)
    return Rule(name, pattern, description, examples, max_chars)


RULES: tuple[Rule, ...] = (
    _rule(
        "advertisement",
        "an advertising label on a line of its own",
        ("- Advertisement -", "ADVERTISEMENT", "Story continues below advertisement", "Sponsored content"),
        (
            rf"{_DECOR}(?:advertisement|advertising|advert|ad|sponsored(?: content| links?)?"
            r"|paid (?:partner )?content|story continues below(?: this)?(?: advertisement)?"
            r"|continue reading below"
            r"|advertisement\s*[-–—:]?\s*(?:scroll|continue) (?:down )?(?:to|for) (?:continue|more)"
            rf"(?: reading)?){_DECOR}",
        ),
    ),
    _rule(
        "newsletter",
        "an invitation to subscribe to a newsletter",
        ("Subscribe to our newsletter", "Sign up for the Morning Briefing newsletter."),
        (
            r"(?:subscribe|sign up|register)(?: now| today| here| free)? (?:to|for) (?:our|the|my)"
            r"(?: [\w'’-]+){0,4} (?:newsletters?|bulletin|digest|briefing)[.!:]?",
            rf"{_DECOR}newsletter(?: sign[- ]?up)?{_DECOR}",
        ),
    ),
    _rule(
        "signup-prompt",
        "a sign-up footer promising news or offers",
        ("Sign up here to get the latest news, updates and special offers delivered directly to your inbox.",),
        (
            r"(?:sign up|subscribe|register)(?: now| today| here| free)*(?: to| for)?"
            r" (?:get|receive|have|our)\b.{0,150}"
            r"\b(?:inbox|e-?mail|updates|newsletters?|news|offers)\b.{0,40}",
        ),
    ),
    _rule(
        "subscribe-now",
        "a call to subscribe ending in 'subscribe now'",
        ("Get real time updates directly on you device, subscribe now.", "Subscribe now"),
        (
            # after other words only the imperative "subscribe now" counts: "...readers subscribe." is prose
            r".{0,150}[,.!:–—-]\s*(?:subscribe|sign up) (?:now|today|here)[.!]?",
            rf"{_DECOR}(?:subscribe|sign up|register)(?: now| today| here)?[.!]?{_DECOR}",
        ),
    ),
    _rule(
        "share-counter",
        "a line of only numbers: share, comment and view counters",
        ("0 2,736", "1.2K shares"),
        (r"\d[\d.,]*[km]?(?:\s+\d[\d.,]*[km]?)*(?:\s+(?:shares?|comments?|views?|likes?|reads?))?",),
    ),
    _rule(
        "photo-credit",
        "a picture caption: a line ending in a photo credit, or starting with 'Image copyright'",
        (
            "Police retreat as protesters throw explosives during clashes. Credit: AP",
            "Protesters march towards the palace. Photo: Reuters",
            "Supporters of Nicolás Maduro rally in Caracas (Getty Images)",
            "Image copyright Getty Images",
        ),
        (
            r"(?:.{0,350}\s)?(?:(?:photo|picture|image|photograph|illustration) ?)?"
            rf"(?:credit|photo|picture|image|photograph|illustration)s?\s?:\s?{_CREDIT}",
            r".{0,350}\((?:(?:photo|picture|image|credit)s?\s?:?\s?)?(?:[^()]{0,60}[\s/])?"
            rf"{_AGENCIES}(?:[\s/][^()]{{0,40}})?\)",
            r"image (?:copyright|caption|source)\b.{0,300}",
        ),
        max_chars=400,
    ),
    _rule(
        "read-more",
        "a link to another article",
        ("Read more: Venezuela's crisis explained", "READ MORE", "You may also like"),
        (
            rf"{_DECOR}(?:read more|read also|also read|read next|see also|more on this(?: story)?"
            r"|you may also like|you might also like|recommended(?: for you| reading| stories)?"
            r"|most read|most popular|trending now|editor[’']?s picks?|top stories)\s*(?:[:»›>|–—-].*)?",
        ),
    ),
    _rule(
        "related",
        "a 'Related' label or link",
        ("Related: Russia warns US against intervention", "Related stories"),
        (
            rf"{_DECOR}related(?: articles?| stories| coverage| content| reading| news| links?| topics"
            r"| videos?)?\s*(?:[:»›>|–—-].*)?",
        ),
    ),
    _rule(
        "click-here",
        "a 'click here' instruction",
        ("Click here to read the full statement",),
        (r"(?:please )?(?:click|tap|press) here(?: (?:to|for)\b.{0,150}|[.!:]?)",),
    ),
    _rule(
        "follow-us",
        "an invitation to follow the outlet on social media",
        ("Follow us on Twitter", "Follow Russia Today on Telegram and Facebook."),
        (
            # the network must be named: "Join us on the streets" is what a protest statement says
            r"(?:please |and )?(?:follow|like|join|find|connect with) us (?:on|at|via) (?:[\w ]{0,20} )?"
            rf"{_NETWORKS}\b.{{0,120}}",
            r"(?:please |and )?follow (?:us|@\w+)[.!:]?",
            rf"follow (?:@?[\w’'.-]+ ){{1,4}}on {_NETWORKS}(?:,? (?:and )?{_NETWORKS})*(?: @\w+)?[.!]?",
        ),
    ),
    _rule(
        "share",
        "share buttons and prompts",
        ("Share this article", "Facebook Twitter WhatsApp Email", "Share on Facebook"),
        (
            r"share(?: this| (?:this|the) (?:article|story|page|post|video)| (?:on|via|to) \w+)?[:.!]?",
            r"(?:(?:share|tweet|e-?mail|print|facebook|twitter|whatsapp|linkedin|pinterest|reddit|telegram"
            r"|messenger|copy link|comments?)[\s|•·/,]*)+",
        ),
    ),
    _rule(
        "cookie-notice",
        "a cookie consent notice",
        ("We use cookies to improve your experience.", "Accept all cookies"),
        (
            r"(?:we|this (?:web)?site|our (?:web)?site) uses? cookies\b.{0,300}",
            r"by (?:continuing to (?:browse|use)|using) (?:this|our) (?:web)?site\b.{0,200}",
            r"(?:accept|allow|manage|reject|decline)(?: all| necessary| optional| essential)?"
            r" cookies\b.{0,40}",
            r"cookie (?:policy|settings|preferences|consent)\b.{0,40}",
        ),
        max_chars=400,
    ),
    _rule(
        "copyright",
        "a copyright line",
        ("© 2019 The Daily Example. All rights reserved.", "Copyright 2019 Reuters", "All rights reserved."),
        (
            r"(?:©|\(c\)|copyright\s?(?:©|\(c\))|copyright \d{4}).{0,150}",
            r".{0,120}\ball rights reserved\.?",
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Text with its boilerplate lines taken out, and a record of each line taken."""

    text: str
    removed: tuple[RemovedLine, ...]


def matching_rule(line: str, rules: Sequence[Rule] = RULES) -> Rule | None:
    """The first rule that recognises ``line`` as boilerplate, or None if it may be article text."""
    return next((rule for rule in rules if rule.matches(line)), None)


def remove_boilerplate(text: str, rules: Sequence[Rule] = RULES) -> Cleaned:
    """``text`` without the lines any rule matches. Other lines, blank ones included, are kept as they are.

    Line numbers in the record are 1-based positions of the lines in ``text``.
    """
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for number, line in enumerate(text.split("\n"), start=1):
        rule = matching_rule(line, rules)
        if rule is None:
            kept.append(line)
        else:
            removed.append(RemovedLine(number, line.strip(), rule.name))
    return Cleaned("\n".join(kept), tuple(removed))
