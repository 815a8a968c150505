"""Word lists the rule-based stages share: function words, roles, organisation words, places, speech cues.

These lists are general English and world knowledge, not tuned to any corpus. Trained models (issues 3 and 4)
take over recognition; the cue lexicon stays useful as a feature and a fallback.
"""

from __future__ import annotations

# Capitalised at a sentence start without naming anything.
FUNCTION_WORDS = frozenset(
    """
    a an the this that these those there here it its he she they we i you his her their our my your
    him them us me who whom whose which what when where why how whether if then than so as at by for
    from in into of off on onto out over to under up upon with within without about above across
    after against along amid amidst among around before behind below beneath beside besides between
    beyond but despite during except inside near since through throughout till toward towards until
    via and or nor not no yes yet also however although though while whereas because unless once
    both either neither each every all any some many much more most few several other another such
    only just even still already again further furthermore moreover meanwhile nevertheless
    nonetheless instead indeed thus hence therefore earlier later now today yesterday tomorrow
    tonight last next first second third finally additionally asked pressed questioned speaking
    according following given including regarding is are was were be been being has have had do does
    did will would shall should can could may might must let let's please dear sources reports
    officials critics supporters protesters police several large-scale major breaking update updated
    exclusive watch read signed image photo credit video amid now new live
    """.split()
)

# Nouns naming a role; before a name they are a label ("President Maduro"), alone they describe a speaker.
ROLE_WORDS = frozenset(
    """
    president vice-president minister secretary spokesman spokeswoman spokesperson spokespeople
    leader politician candidate mp mps mep senator governor general chancellor premier prime king
    queen prince princess pope judge justice mayor ambassador envoy diplomat chief director chairman
    chairwoman chair ceo official officials commander colonel captain lieutenant sergeant admiral
    marshal deputy head activist lawmaker legislator congressman congresswoman congressmember
    representative rep sen gov lt gen col capt journalist reporter correspondent editor analyst
    economist professor prof dr member founder co-founder adviser advisor lawyer attorney prosecutor
    counsel spokesperson negotiator mediator emir sheikh ayatollah cardinal archbishop bishop bishop
    reverend rev father sister brother dictator strongman opposition figure chairperson boss owner
    executive manager presenter host anchor commentator writer author campaigner organiser organizer
    coordinator secretary-general undersecretary under-secretary
    """.split()
)

HONORIFIC_WORDS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "mx"})

# A capitalised phrase containing one of these names an organisation.
ORG_WORDS = frozenset(
    """
    party ministry department council government union group organisation organization organisations
    organizations association federation confederation congress commission committee agency bank
    company corporation corp inc ltd plc llc university institute foundation forces army navy air
    police court parliament assembly senate office network alliance movement front league coalition
    liberation conservatives democrats republicans labour tories nations nato un eu opec bbc cnn
    reuters afp ap times post journal news press broadcasting television radio tv club fund trust
    board authority administration cabinet embassy service services guard church mission institute
    center centre council foundation society federation
    """.split()
)

# Upper-case short words that are not acronyms of anything named.
NOT_ACRONYMS = frozenset({"amid", "now", "major", "new", "live", "update", "breaking", "watch", "ok", "i", "a"})

# Countries, capitals, regions and large cities: public world knowledge for typing names as places.
PLACES = frozenset(
    """
    afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan
    bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana
    brazil brunei bulgaria burkina burundi cambodia cameroon canada chad chile china colombia
    comoros congo costa croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt eritrea
    estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada
    guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel
    italy jamaica japan jordan kazakhstan kenya kiribati korea kosovo kuwait kyrgyzstan laos latvia
    lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia
    maldives mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro
    morocco mozambique myanmar namibia nauru nepal netherlands nicaragua niger nigeria norway oman
    pakistan palau palestine panama paraguay peru philippines poland portugal qatar romania russia
    rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname
    sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga trinidad tunisia turkey
    turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu vatican venezuela vietnam yemen
    zambia zimbabwe england scotland wales britain europe asia africa america americas antarctica
    oceania caribbean arctic balkans crimea donbas gaza kashmir tibet hong kong kabul tirana algiers
    luanda yerevan canberra vienna baku dhaka minsk brussels sucre brasilia sofia ottawa santiago
    beijing bogota havana nicosia prague copenhagen cairo tallinn helsinki paris berlin athens
    budapest reykjavik delhi jakarta tehran baghdad dublin jerusalem rome kingston tokyo amman
    nairobi pyongyang seoul riga beirut tripoli vilnius managua abuja oslo islamabad lima manila
    warsaw lisbon doha bucharest moscow riyadh belgrade singapore bratislava madrid khartoum
    stockholm bern damascus taipei bangkok tunis ankara kyiv kiev london washington hanoi caracas
    harare lusaka maracaibo valencia istanbul mumbai shanghai sydney melbourne toronto chicago
    houston miami york angeles francisco westminster brussels geneva strasbourg basseterre
    """.split()
)
PLACE_PHRASES = frozenset(
    {
        "united states",
        "united kingdom",
        "united arab emirates",
        "saudi arabia",
        "south africa",
        "south korea",
        "north korea",
        "new zealand",
        "latin america",
        "south america",
        "north america",
        "central america",
        "middle east",
        "new york",
        "los angeles",
        "san francisco",
        "hong kong",
        "sri lanka",
        "el salvador",
        "dominican republic",
        "czech republic",
        "costa rica",
        "puerto rico",
        "st kitts",
        "asia-pacific",
    }
)
PLACE_ACRONYMS = frozenset({"us", "usa", "uk", "uae", "ussr", "drc", "u.s", "u.k", "u.s.", "u.k."})

# Nationality and origin adjectives: labels ("Venezuelan opposition politician"), never entities themselves.
DEMONYMS = frozenset(
    """
    american british english scottish welsh irish french german italian spanish portuguese dutch
    belgian swiss austrian russian ukrainian polish czech hungarian greek turkish chinese japanese
    korean indian pakistani bangladeshi iranian iraqi syrian israeli palestinian egyptian saudi arab
    african nigerian kenyan brazilian argentine argentinian chilean colombian peruvian venezuelan
    cuban mexican canadian australian european asian latin caribbean western eastern soviet bolivian
    ecuadorian nicaraguan malaysian indonesian filipino thai vietnamese kremlin
    """.split()
)

# Speech and stance verbs that introduce what someone said, as lemma -> its inflected forms.
_IRREGULAR = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "speak": ("speak", "speaks", "spoke", "spoken", "speaking"),
}
_REGULAR = [
    "add",
    "state",
    "declare",
    "insist",
    "explain",
    "note",
    "argue",
    "claim",
    "warn",
    "urge",
    "reply",
    "respond",
    "tweet",
    "announce",
    "suggest",
    "emphasize",
    "emphasise",
    "highlight",
    "stress",
    "conclude",
    "comment",
    "remark",
    "acknowledge",
    "admit",
    "concede",
    "confirm",
    "deny",
    "reiterate",
    "advocate",
    "maintain",
    "demand",
    "predict",
    "promise",
    "vow",
    "pledge",
    "allege",
    "assert",
    "contend",
    "recall",
    "observe",
    "describe",
    "condemn",
    "accuse",
    "praise",
    "criticise",
    "criticize",
    "call",
    "challenge",
    "question",
    "ask",
    "report",
    "reveal",
    "agree",
    "disagree",
]


def _forms(lemma: str) -> tuple[str, ...]:
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    third = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s")
    past = lemma + "d" if lemma.endswith("e") else lemma + "ed"
    if lemma in {"admit", "regret"}:
        past, ing = lemma + "ted", lemma + "ting"
    else:
        ing = stem + "ing"
    return (lemma, third, past, ing)


CUE_FORMS: dict[str, str] = {}
for _lemma, _forms_ in _IRREGULAR.items():
    for _f in _forms_:
        CUE_FORMS[_f] = _lemma
for _lemma in _REGULAR:
    for _f in _forms(_lemma):
        CUE_FORMS.setdefault(_f, _lemma)

# Verbs that report speech itself; with these, a clause without quote marks is an indirect quote.
REPORTING_LEMMAS = frozenset(
    """
    say tell add state declare insist explain note argue claim warn reply respond tweet write
    announce suggest emphasize emphasise highlight stress conclude comment remark acknowledge admit
    concede confirm deny reiterate maintain predict promise vow pledge allege assert contend recall
    observe
    """.split()
)
# Cues that only count after a quote ("...," he continued) because elsewhere they mean something else.
POST_QUOTE_ONLY = frozenset({"continue", "continued", "continues", "went on"})

AUXILIARIES = frozenset(
    """
    has have had is was were are be been will would shall should can could may might must did does
    do also today yesterday earlier later then again repeatedly previously once further still
    however now recently publicly privately separately reportedly allegedly swiftly quickly simply
    """.split()
)
PRONOUNS_PERSON = frozenset({"he", "she"})
PRONOUNS_GROUP = frozenset({"they", "it", "we"})
# Nouns for a text that "says" something on its author's behalf ("the statement said").
DOCUMENT_NOUNS = frozenset(
    """
    statement report communique communiqué release letter document declaration note memo post tweet
    announcement resolution
    """.split()
)
# A capitalised phrase ending in one of these names an event, a work or a thing rather than an actor.
MISC_WORDS = frozenset(
    """
    revolution war crisis act charter day hour election elections summit agreement treaty accord law
    constitution programme program show festival cup games olympics award prize
    """.split()
)
# Calendar words are capitalised but name no actor.
DATE_WORDS = frozenset(
    """
    january february march april june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday
    """.split()
)
# Verbs that can stand right before a name without being part of its label ("depose Maduro").
LABEL_BREAKING_VERBS = frozenset(
    """
    topple depose oust support back recognise recognize elect install replace meet met visit urge
    ask criticise criticize condemn praise accuse blame attack defend join joined
    """.split()
)
# Particles that may stand inside a name: "Party of Venezuela", "Charter of the United Nations", "van Gogh".
NAME_CONNECTORS = frozenset({"of", "de", "del", "la", "van", "von", "da", "dos", "bin", "al", "the", "y"})
