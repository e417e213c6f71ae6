"""Word lists for the attribution suggester (``annotate.spans.attribution``). Pure data, no Django.

The cue verbs follow the reporting-verb inventories of attribution corpora (PARC 3.0, Pareti
2016, "PARC 3.0: A Corpus of Attribution Relations", LREC) cut down to the common news verbs.
The type lists encode the source-type convention written at the top of the gold set
(tests/annotate/spans/gold/attribution_gold.txt). Every entry is lower case.
"""

# CitedSourceType values of annotate.models.work, mirrored as plain strings so this
# package stays free of Django; a test keeps the two in step.
NAMED_PERSON = "named_person"
OFFICIAL_BODY = "official_body"
DOCUMENT = "document"
ANONYMOUS = "anonymous"
OTHER_OUTLET = "other_outlet"
SOURCE_TYPES = (NAMED_PERSON, OFFICIAL_BODY, DOCUMENT, ANONYMOUS, OTHER_OUTLET)

# Reporting verbs whose subject is the source ("X said", "X has warned").
SPEECH_VERBS = frozenset(
    "said says say told tells stated added noted claimed warned warns announced reported "
    "confirmed confirms argued argues insisted insists explained explains acknowledged "
    "admitted denied denies alleged alleges wrote writes estimated estimates predicted "
    "predicts described".split()
)
# Present-tense forms that are as often plural nouns ("insurance claims", "the notes"):
# only a cue when "that" follows.
NEEDS_THAT = frozenset(
    "claims notes reports states warns announces adds estimates alleges writes ruled rules".split()
)
# Verbs that take a non-speech object as often as a quote ("added a goal", "claimed three
# lives"): a cue only before "that", a quote or the end of the clause (added, noted), or a
# finite clause (claimed, warned).
CLAUSE_ONLY = frozenset({"added", "noted"})
NEEDS_CLAUSE = frozenset({"claimed", "warned"})
CLAIM_OBJECTS = frozenset({"that", "responsibility", "credit", "victory", "to", "of"})
# Verbs whose subject is a source only when it is a document ("the study found").
DOCUMENT_VERBS = frozenset(
    "show shows showed found finds suggest suggests suggested concluded concludes "
    "revealed reveals".split()
)
# "said X" after a quote or comma.
INVERTIBLE = frozenset("said says added wrote explained insisted noted warned".split())

# Words between a subject and its verb ("has repeatedly said", "on Monday said").
SKIP_BEFORE_VERB = frozenset(
    "has have had also repeatedly previously already earlier later now still recently "
    "again then once first yesterday today tonight separately publicly privately".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
TIME_NOUNS = frozenset("week month year night weekend morning evening afternoon".split())

# A verb right after one of these is an adjective or passive, not a report:
# "the said company", "the firm's stated aim", "is said to be", "refused to say".
NOT_BEFORE_VERB = frozenset(
    "the a an this that these those its their his her our your my having is are was were "
    "be been being am to all truth not".split()
)
MODALS = frozenset("could would can may might will shall should must cannot".split())

# Where a clause begins, walking back from the verb.
CLAUSE_WORDS = frozenset(
    "but and or while whereas after before when as because if though although since until "
    "unless where so than that whether nor yet".split()
)
RELATIVE = frozenset({"who", "which", "whom", "whose"})
FINITE = frozenset(
    "is are was were has have had will would can could did does do shall should may might "
    "must am".split()
)
PRONOUNS = frozenset(
    "he she they it we i you him her them this these those there one who which someone "
    "somebody nobody everyone neither no none".split()
)
QUOTES = frozenset({'"', "“", "”", "‘", "’", "'", "«", "»"})
HARD_STOPS = frozenset({".", "!", "?", ";", ":", "(", ")", "[", "]", "—", "–", "…", "\n"}) | QUOTES

# "according to plan": in accordance with, not a source.
ACCORDANCE = frozenset(
    "plan plans schedule timetable tradition traditions custom customs rule rules terms law "
    "laws script protocol procedure procedures regulations instructions design need needs "
    "size age merit taste priority type book".split()
)
# Words that end a source noun phrase read rightwards (after "according to", "said").
RIGHT_STOPS = frozenset(
    "who which whom whose that adding citing saying and but while as after when because "
    "although though where whether speaking".split()
)

# Post-modifiers: the head noun is the last word before the first of these.
POSTMODIFIERS = frozenset(
    "of for from by at in on with close familiar near published seen released issued "
    "commissioned conducted obtained posted cited quoted presented prepared submitted "
    "compiled produced written sent shared provided filed delivered".split()
)

TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. prof prof. professor sen sen. senator rep rep. "
    "representative gov gov. governor mayor president minister secretary chancellor premier "
    "judge justice general gen gen. commissioner director coach manager captain doctor "
    "leader lawyer attorney spokesman spokeswoman spokesperson chief economist teacher "
    "sheriff ambassador inspector detective officer sergeant sgt sgt. lt lt. col col. capt "
    "capt. colonel lieutenant admiral pope king queen prince princess sir dame lord lady "
    "chairman chairwoman chair ceo founder executive analyst author researcher scientist "
    "historian expert activist".split()
)

OUTLET_NAMES = (
    "reuters",
    "associated press",
    "ap",
    "afp",
    "agence france-presse",
    "bloomberg",
    "bbc",
    "cnn",
    "al jazeera",
    "xinhua",
    "tass",
    "ria novosti",
    "interfax",
    "kyodo",
    "yonhap",
    "nhk",
    "npr",
    "nbc",
    "cbs",
    "abc news",
    "fox news",
    "sky news",
    "cnbc",
    "deutsche welle",
    "new york times",
    "washington post",
    "wall street journal",
    "financial times",
    "guardian",
    "economist",
    "le monde",
    "le figaro",
    "der spiegel",
    "el país",
    "el pais",
    "haaretz",
    "politico",
    "axios",
    "variety",
    "verge",
    "wired",
    "techcrunch",
    "propublica",
    "newsweek",
    "forbes",
    "marca",
)
# Trailing words of newspaper names ("the Nordic Herald") and common nouns for outlets.
OUTLET_WORDS = frozenset(
    "times post journal herald gazette tribune chronicle courier telegraph observer express "
    "mirror".split()
)
OUTLET_NOUNS = frozenset(
    "newspaper newspapers broadcaster broadcasters television tv radio media magazine daily "
    "tabloid outlet outlets network channel newswire".split()
)
OUTLET_ADJECTIVES = frozenset("local daily weekly sunday news state".split())  # "local paper"

DOCUMENT_NOUNS = frozenset(
    "report reports study studies survey surveys poll polls data figures figure statistics "
    "analysis analyses document documents records record filing filings memo memos letter "
    "letters paper papers research census audit review estimates estimate forecast "
    "forecasts indictment ruling judgment judgement transcript transcripts minutes website "
    "assessment database index model images footage emails files cables sheet accounts "
    "inquiry investigation dossier leak leaks testimony statement statements".split()
)

OFFICIAL_NOUNS = frozenset(
    "official officials authorities authority government governments ministry ministries "
    "department departments office offices agency agencies police army military forces navy "
    "prosecutor prosecutors spokesperson spokesman spokeswoman spokespeople minister "
    "ministers mayor president governor premier chancellor secretary ambassador embassy "
    "council councils committee commission board court courts parliament congress senate "
    "administration company companies firm firms club clubs league federation union unions "
    "bank banks university hospital museum school operator contractor regulator regulators "
    "watchdog service institute organisation organization organisations organizations "
    "association group party charity airline carrier manufacturer retailer insurer lender "
    "management organisers organizers firefighters coastguard cabinet presidency kremlin "
    "pentagon state states campaign team employer producer developer utility bureau "
    "secretariat opposition manager director chairman chairwoman executive chief coach "
    "captain commissioner inspector inspectors sheriff judge judges senator senators "
    "lawmaker lawmakers legislator legislators mp mps councillor councillors officer "
    "officers troops soldiers investigators detectives negotiators envoy envoys".split()
)
# Words that make a capitalised name an organisation's ("Norvia Airlines", "Baltic Bank").
ORG_WORDS = OFFICIAL_NOUNS | frozenset(
    "international watch cross crescent foundation trust fund society alliance coalition "
    "forum centre center centers centres nations bureau services guard assembly college "
    "clinic library airport railway railways port airlines airways holdings inc inc. ltd "
    "ltd. corp corp. corporation co co. llc plc partners capital motors energy software "
    "systems technologies pharmaceuticals industries foods insurance properties "
    "network institution".split()
)
KNOWN_ORGS = frozenset(
    "greenpeace amnesty oxfam unicef unesco eurostat interpol europol frontex nato opec "
    "fifa uefa nasa".split()
)

ANONYMOUS_NOUNS = frozenset(
    "source sources insider insiders people person persons analyst analysts economist "
    "economists expert experts researcher researchers scientist scientists critic critics "
    "observer observers witness witnesses resident residents local locals neighbour "
    "neighbours neighbor neighbors farmer farmers trader traders activist activists "
    "campaigner campaigners parent parents student students pupil pupils passenger "
    "passengers fan fans tenant tenants nurse nurses doctor doctors teacher teachers worker "
    "workers employee employees staff diplomat diplomats shopkeeper shopkeepers villager "
    "villagers protester protesters survivor survivors relative relatives investor investors "
    "voter voters user users customer customers patient patients victim victims aide aides "
    "colleague colleagues opponent opponents supporter supporters friend friends "
    "family families".split()
)
ANONYMITY_MARKERS = (
    "condition of anonymity",
    "not to be named",
    "declined to be named",
    "refused to be named",
    "not authorised to",
    "not authorized to",
    "speaking anonymously",
    "on background",
)
DETERMINERS = frozenset("the a an this that these those its their his her our".split())
