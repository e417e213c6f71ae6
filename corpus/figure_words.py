"""Words of news figures, for corpus.figures: qualifiers, currencies, scales, number words,
fractions, vague counts, units, and the words that mark a number as no figure at all.

Pure Python tables. Sources: the qualifiers are the bounding phrases of English news
style ("north of", "just shy of" ... as listed in issue 16 and in the seed articles);
currency codes are ISO 4217; lakh (10^5) and crore (10^7) are the Indian numbering
units; the vague-count ranges follow one rule, "Ns of" = from 2 N to 10 N - 1, so
"hundreds" is 200..999 and "tens of thousands" 20,000..99,999.
"""

# Normalised qualifiers. The bound each one sets is read by annotate.claim_divergence.
EXACTLY, ABOUT, NEARLY, OVER, MORE_THAN, AT_LEAST, UP_TO, LESS_THAN = (
    "exactly",
    "about",
    "nearly",
    "over",
    "more_than",
    "at_least",
    "up_to",
    "less_than",
)
QUALIFIERS = (EXACTLY, ABOUT, NEARLY, OVER, MORE_THAN, AT_LEAST, UP_TO, LESS_THAN)


def _words(table):
    """{phrase: qualifier} from {qualifier: "phrase|phrase|..."}."""
    return {phrase: q for q, phrases in table.items() for phrase in phrases.split("|")}


QUALIFIER_WORDS = _words(
    {
        EXACTLY: "exactly|precisely",
        ABOUT: "about|around|roughly|approximately|approx.|some|an estimated|estimated"
        "|estimated at|circa|c.|in the region of|in the order of|of the order of|an approximate"
        "|something like|give or take|more or less|a rough|a roughly",
        NEARLY: "nearly|almost|close to|just under|just below|just shy of|shy of|just short of"
        "|not quite|getting on for|the best part of|approaching|close on|nigh on|not far off"
        "|not far short of|very nearly|just about|a shade under|a little under|slightly under"
        "|slightly less than|just less than|almost exactly|nearly all of",
        OVER: "over|just over|well over|a little over|slightly over|a shade over|comfortably over",
        MORE_THAN: "more than|in excess of|upwards of|upward of|above|north of|well above"
        "|well in excess of|just above|slightly more than|a little more than|just more than"
        "|better than|exceeding|greater than|well north of|higher than|well beyond|beyond",
        AT_LEAST: "at least|no fewer than|no less than|not less than|not fewer than|as little as"
        "|as few as|a minimum of|as low as|at the very least|a minimum",
        UP_TO: "up to|as many as|as much as|at most|no more than|not more than|a maximum of"
        "|as high as|within|at the most|a maximum|not exceeding|up to a maximum of",
        LESS_THAN: "less than|fewer than|under|below|well under|well below|lower than|south of"
        "|well short of|short of",
    }
)
# "10 or more", "300-odd", "300-plus": the qualifier follows the number.
POSTFIX_QUALIFIERS = {
    "or so": ABOUT,
    "odd": ABOUT,
    "or more": AT_LEAST,
    "plus": MORE_THAN,
    "+": MORE_THAN,
    "or fewer": UP_TO,
    "or less": UP_TO,
    "or under": UP_TO,
    "or over": AT_LEAST,
}

CURRENCY_SYMBOLS = {
    "us$": "USD",
    "$": "USD",
    "a$": "AUD",
    "au$": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "nz$": "NZD",
    "hk$": "HKD",
    "s$": "SGD",
    "r$": "BRL",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "₦": "NGN",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "₱": "PHP",
    "rmb": "CNY",
}
ISO_CODES = frozenset(
    "USD EUR GBP JPY CNY INR CHF AUD CAD NZD HKD SGD KES NGN ZAR BRL MXN RUB TRY KRW SEK NOK DKK "
    "PLN ILS AED SAR PKR BDT EGP UAH".split()
)
CURRENCY_SYMBOLS.update({code.lower(): code for code in ISO_CODES})
CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "pound": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rupees": "INR",
    "rupee": "INR",
    "naira": "NGN",
    "roubles": "RUB",
    "rubles": "RUB",
    "shekels": "ILS",
    "rand": "ZAR",
    "francs": "CHF",
    "lira": "TRY",
    "dirhams": "AED",
    "riyals": "SAR",
    "hryvnias": "UAH",
}

SCALES = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
    "bn": 10**9,
    "bln": 10**9,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "k": 10**3,
    "tn": 10**12,
    "trn": 10**12,
    "lakh": 10**5,
    "lakhs": 10**5,
    "crore": 10**7,
    "crores": 10**7,
}
# Short scales are money-only: "5m" of road is five metres, "4k" a screen.
MONEY_ONLY_SCALES = frozenset({"bn", "bln", "mn", "mln", "m", "k", "tn", "trn"})

UNITS_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ONES = {"one": 1, **{k: v for k, v in UNITS_WORDS.items() if v < 10}}
SMALL_NUMBERS = {"a": 1, "an": 1, "one": 1, **UNITS_WORDS, **TENS_WORDS}

# Fractions as percentages (a share is stored as a percentage: "a third" is 33.33).
FRACTION_WORDS = {
    "half": (1, 2),
    "halves": (1, 2),
    "third": (1, 3),
    "thirds": (1, 3),
    "quarter": (1, 4),
    "quarters": (1, 4),
    "fifth": (1, 5),
    "fifths": (1, 5),
    "tenth": (1, 10),
    "tenths": (1, 10),
}
# Vague counts: the size of one "N" in "Ns of".
VAGUE_WORDS = {
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
    "millions": 10**6,
    "billions": 10**9,
}
# Changes by a factor, and the direction of the change.
FACTOR_VERBS = {
    "doubled": (2, "up"),
    "tripled": (3, "up"),
    "trebled": (3, "up"),
    "quadrupled": (4, "up"),
    "halved": (0.5, "down"),
}
FACTOR_WORDS = {"twice": 2, "double": 2, "threefold": 3, "fourfold": 4, "fivefold": 5}
FACTOR_WORDS.update({"tenfold": 10, "twofold": 2, "triple": 3})

MONTHS_FULL = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
MONTHS_SHORT = "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
MONTHS = MONTHS_FULL + "|" + MONTHS_SHORT
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# Counts of these are durations or relative time, never claims here.
TIME_UNITS = frozenset(
    """second seconds minute minutes hour hours day days week weeks fortnight fortnights month
    months year years decade decades century centuries millennium millennia night nights
    season seasons weekend weekends year-old years-old month-old week-old day-old""".split()
)
# Measures written against the number ("40C", "10km", "8GB"): unit as stored.
ATTACHED_UNITS = {
    "c": "c",
    "°c": "c",
    "ºc": "c",
    "f": "f",
    "°f": "f",
    "km": "km",
    "cm": "cm",
    "mm": "mm",
    "kg": "kg",
    "mg": "mg",
    "lb": "lb",
    "lbs": "lbs",
    "oz": "oz",
    "ft": "ft",
    "mph": "mph",
    "kph": "kph",
    "km/h": "km/h",
    "kmh": "kmh",
    "kw": "kw",
    "mw": "mw",
    "gw": "gw",
    "tw": "tw",
    "kwh": "kwh",
    "mwh": "mwh",
    "gwh": "gwh",
    "twh": "twh",
    "kb": "kb",
    "mb": "mb",
    "gb": "gb",
    "tb": "tb",
    "pb": "pb",
    "kbps": "kbps",
    "mbps": "mbps",
    "gbps": "gbps",
    "mp": "mp",
    "ghz": "ghz",
    "mhz": "mhz",
    "ppm": "ppm",
    "ppb": "ppb",
    "ha": "ha",
    "km2": "km2",
    "mah": "mah",
    "ml": "ml",
}
# Nouns that count without a plural -s: "78 aircraft", "600 staff".
UNMARKED_PLURALS = frozenset(
    """people staff personnel police crew aircraft cattle sheep fish deer livestock offspring
    children men women mice geese feet teeth clergy poultry swine bison salmon troops""".split()
)
# A plain number before one of these names a route or a time, not a count: "the 44 bus".
LABEL_NOUNS_AFTER = frozenset("bus buses tram route line service noon midnight".split())
# Participles and adjectives that stand for people when a count comes before them alone:
# "with 120 injured", "300 dead".
PEOPLE_ADJECTIVES = frozenset(
    """injured wounded dead missing displaced homeless unemployed killed arrested detained
    hospitalised hospitalized infected evacuated rescued jobless sick elderly""".split()
)
# A number right after one of these is a label, not a quantity: "page 4", "junction 9".
LABEL_WORDS = (
    r"no|nos|page|pages|p|pp|section|chapter|article|vol|volume|number|#|route|junction|exit"
    r"|platform|gate|flat|suite|unit|box|room|flight|line|channel|episode|series|game|stage"
    r"|level|tier|category|grade|phase|year|week|day|part|act|scene|figure|fig|table|appendix"
    r"|exhibit|item|lot|seat|row|class|division|district|ward|zone|model|version|v|release"
    r"|patch|build|covid|clause|rule|amendment|resolution|bill|highway|interstate|road|street"
    r"|bus|tram|train|terminal|pier|bay|berth|gen|generation|mark|mk|type|ward|block|building"
    r"|floor|storey|apartment|house|plot|case|file|ref|reference|code|id|pin|tel|phone|call"
)
PERSON_NOUNS = (
    r"people|children|adults|pupils|kids|those|anyone|patients|women|men|girls|boys|babies"
    r"|voters|victims|residents|workers|drivers|users|everyone|others|someone|teenagers|all"
)
# Verbs after which a number names a count even when the noun is left out: "holds 80,000".
BARE_COUNT_VERBS = frozenset(
    """holds hold held seats seat seated employs employ employed flies fly flew numbered
    numbers totalled totaled totals total reached reaches hit hits topped tops passed exceeded
    voted won lost scored recorded counted reported killed injured wounded arrested rescued
    evacuated hired added built sold bought made drew attracted welcomed housed treated
    vaccinated tested has have had fielded deployed registered received accepted rejected
    approved housed hosts host hosted sleeps accommodates""".split()
)
# Verbs whose subject names what a number after them counts: "Deaths fell to 96,000".
LEVEL_VERBS = (
    r"rose|risen|rises|rise|rising|fell|fallen|falls|fall|falling|reached|reaches|reach|hit|hits"
    r"|totalled|totaled|totals|numbered|numbers|stood|stands|climbed|climbs|jumped|jumps"
    r"|dropped|drops|grew|grown|grows|increased|increases|decreased|decreases|declined|declines"
    r"|surged|surges|soared|soars|plunged|plunges|passed|passes|topped|tops|exceeded|exceeds"
    r"|doubled|tripled|halved|eased|eases|slipped|slips|shrank|shrunk|shrinks|slumped|tumbled"
    r"|dipped|edged|crept|swelled|ballooned|hovered|hovers|remained|remains|was|were|is|are"
)
UP_VERBS = (
    r"rose|risen|rises|rise|rising|increased|increases|increase|increasing|grew|grown|grows"
    r"|grow|growing|climbed|climbs|climb|climbing|jumped|jumps|jump|surged|surges|surge|soared"
    r"|soars|soar|gained|gains|gain|raised|raises|raise|raising|lifted|lifts|lift|boosted|boosts"
    r"|boost|hiked|hikes|hike|swelled|expanded|expands|expand|widened|increasing|spiked|rallied"
    r"|advanced|up|higher|more"
)
DOWN_VERBS = (
    r"fell|fallen|falls|fall|falling|dropped|drops|drop|dropping|declined|declines|decline"
    r"|declining|decreased|decreases|decrease|decreasing|shrank|shrunk|shrinks|shrink|shrinking"
    r"|thinned|thinning|cut|cuts|cutting|reduced|reduces|reduce|reducing|lowered|lowers|lower"
    r"|slashed|slashes|slash|trimmed|trims|trim|plunged|plunges|plunge|slumped|slumps|slump"
    r"|tumbled|tumbles|tumble|slipped|slips|slip|sank|sunk|sinks|eased|eases|ease|dipped|dips"
    r"|dip|contracted|contracts|narrowed|lost|loses|down|lower|fewer|less|shed|sheds"
)
CHANGE_NOUNS_UP = r"rise|increase|jump|gain|hike|surge|rebound|growth|uplift|boost|climb|spike"
CHANGE_NOUNS_DOWN = r"fall|drop|decline|decrease|cut|reduction|slump|dip|contraction|slide|loss"
COMPARATIVES_UP = r"more|higher|greater|bigger|larger|faster|longer|up|extra"
COMPARATIVES_DOWN = r"fewer|less|lower|smaller|cheaper|slower|shorter|down"

STOP_WORDS = frozenset(
    """
    a about above across after against all alone along also am among an and any are as at be
    because been before being below between both but by can could did do does during each
    either for from had has have he her here his how if in including into is it its just like
    may might more most much must nor not now of off on once only or other our out over own
    per same she should since so some such than that the their them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with worth would yet you your remained remain remains left according
    respectively alone ago earlier later each apiece regarding concerning despite toward towards
    via within without versus never still already again another further less fewer last next
    say says said think thought believe believed remain live lived die died work worked face
    faced need needed use used want wanted support supported oppose opposed agree agreed
    went came come go get got took take made make saw see do done
""".split()
)
# Words before a number that do not make it a name even when capitalised: "Only 12", "The 300".
STARTERS = STOP_WORDS | frozenset(
    """another only just all some the these those of in with nearly almost about around roughly
    over up more less fewer at between from by since about some those""".split()
)
# Product names that look plural: "Windows 11" is a name.
PRODUCT_PLURALS = frozenset({"windows", "mercedes"})
