"""What a question is about — its period, years, nämnder and the names it uses — and whether a
source agrees. An answer from a report about another tertial, year or stadsdel is a wrong answer
however well its words match, so the answer step checks every candidate against these.

Which reports exist (nämnd, year, period, report type) is read from the index, never listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..patterns import MONTHS, YEAR
from ..store.analysis import lemma, lexicon, split_compound
from ..store.engine import Engine
from ..swedish import QUESTION_WORDS
from .plan import Mentioned, stems

_MONTH = "|".join(MONTHS)
_ORDINALS = {"första": 1, "andra": 2, "tredje": 3}
# Tertial N of a Stockholm report covers January to the end of month 4·N; the delårsrapport is
# the one per 31 augusti, i.e. tertial 2.
MONTHS_PER_TERTIAL = 4
DELAR_TERTIAL = 2
# Report types that account for a whole year's outcome (the rest report part of it, or plan it).
_ANNUAL = re.compile(r"årsredovisning|verksamhetsberättelse|bokslut", re.IGNORECASE)
_TERTIAL = re.compile(r"tertial\D{0,12}?([123])\b", re.IGNORECASE)

_ASKED_TERTIAL = re.compile(
    rf"\btertial(?:rapport(?:en)?|bokslut(?:et)?|et)?\s+([123])\b|\b({'|'.join(_ORDINALS)})\s+tertial(?:et)?\b"
    r"|\bT([123])\b", re.IGNORECASE)
_ASKED_DELAR = re.compile(r"\bdelår(?:et|s\w*)?\b", re.IGNORECASE)
_ASKED_FULL_YEAR = re.compile(r"\bhela\s+(?:året|år)\b|\bhelår(?:et|s\w*)?\b|\b(?:års)?bokslut(?:et)?\b"
                              r"|\bverksamhetsberättelse\w*|\bårsredovisning\w*", re.IGNORECASE)
# A forecast for the whole year is what tertial reports give: "prognos för helåret" asks for
# no annual report.
_FORECAST = re.compile(r"prognos|väntas|beräknas|bedöms|förväntas|planera", re.IGNORECASE)
# Seasons that fall outside the first tertial name months a report must reach.
_SEASONS = {"sommar": 8, "höst": 11}
_ASKED_SEASON = re.compile(r"\b(sommar|höst)(?:en)?\b", re.IGNORECASE)
_ASKED_MONTHS = re.compile(rf"\b({_MONTH})(?:\s*(?:[–-]|till)\s*({_MONTH}))?\b", re.IGNORECASE)
# Years that name a deadline or a starting point ("till 2025", "sedan 2017") are not the
# year the question is about; a span "2019–2022" names every year in it when it is as short as
# a mandate period (longer ones are history: "barnavårdscentraler 1930–1960").
_NOT_ABOUT = re.compile(r"(?:till|sedan|från|före|efter|inför|senast)\s+$", re.IGNORECASE)
_YEAR_SPAN = re.compile(r"\b((?:19|20)\d\d)\s*[–-]\s*((?:19|20)\d\d)\b")
MAX_SPAN = 4
# A name the index uses in more than this share of its passages ("Stockholm") tells no source
# from another; rarer ones ("Farsta", "Rinkeby-Kista") must be in the source.
COMMON_NAME = 0.01
# The shortest name or noun a compound of a name and a noun is cut into.
MIN_NAME = 4
# A name: a capitalised word (hyphenated parts allowed) that is not the question's first word.
_NAME = re.compile(r"(?<=\s)[A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ]?[a-zåäöé]+)*")


# A year standing as a year: not one inside a date ("2010-02-16"), a diarienummer ("2009:07/2010/2")
# or a number.
_STANDING_YEAR = re.compile(r"(?<![\d/:.,-])((?:19|20)\d\d)(?![\d/:-]|,\d)")


@dataclass(frozen=True)
class Period:
    label: str  # as said in the reply: "tertial 2", "hela året", "april", "sommaren"
    tertial: int | None = None  # a tertial report is asked for by number
    through: int | None = None  # the last month a report must cover


@dataclass(frozen=True)
class Constraints:
    years: frozenset[int]
    period: Period | None
    namnder: frozenset[str]  # nämnder the index holds that the question names
    names: tuple[str, ...]  # other proper names: the source must use them
    months: frozenset[int]  # months the question names, for the sentence check
    beyond: frozenset[int] = frozenset()  # years after the latest report's: the source must name one


def month_names(text: str) -> frozenset[int]:
    """The months a text names, a span "januari–mars" as each month in it."""
    found: set[int] = set()
    for m in _ASKED_MONTHS.finditer(text):
        first = MONTHS.index(m.group(1).lower()) + 1
        last = MONTHS.index(m.group(2).lower()) + 1 if m.group(2) else first
        found.update(range(first, last + 1))
    return frozenset(found)


def _asked_years(question: str) -> tuple[set[int], set[int]]:
    """The years the question names (not "till 2025"), and those of them said only within a span."""
    years: set[int] = set()
    spanned: set[int] = set()
    for m in _YEAR_SPAN.finditer(question):
        first, last = int(m.group(1)), int(m.group(2))
        if last - first <= MAX_SPAN:
            years.update(range(first, last + 1))
            spanned.update(range(first, last + 1))
    for m in YEAR.finditer(question):
        if not _NOT_ABOUT.search(question[:m.start()]):
            years.add(int(m.group(1)))
    return years, spanned - {int(m.group(1)) for m in YEAR.finditer(_YEAR_SPAN.sub(" ", question))}


def _years(question: str, latest: int | None) -> frozenset[int]:
    """The years the question is about. A year after the latest report's is a target ("2030"),
    which the reports plan for but cannot be about."""
    years, _ = _asked_years(question)
    return frozenset(y for y in years if latest is None or y <= latest)


def _beyond(question: str, latest: int | None) -> frozenset[int]:
    """Years after the latest report's that the question asks about on their own ("avsatt …
    2022"): no report is about them, so only a source naming one (a plan for 2022) can answer;
    the figure for the report's own year is another fact. A span reaching back into the reports'
    years ("2021–2023") is about those years too, and is left to them."""
    if latest is None:
        return frozenset()
    years, spanned = _asked_years(question)
    reaching_back = any(y <= latest for y in spanned)
    return frozenset(y for y in years if y > latest and not (reaching_back and y in spanned))


def _period(question: str) -> Period | None:
    if m := _ASKED_TERTIAL.search(question):
        n = int(m.group(1) or m.group(3) or _ORDINALS[m.group(2).lower()])
        return Period(f"tertial {n}", tertial=n, through=MONTHS_PER_TERTIAL * n)
    if _ASKED_DELAR.search(question):
        return Period("delåret", tertial=DELAR_TERTIAL, through=MONTHS_PER_TERTIAL * DELAR_TERTIAL)
    if _ASKED_FULL_YEAR.search(question) and not _FORECAST.search(question):
        return Period("hela året", through=12)
    if m := _ASKED_SEASON.search(question):
        return Period(m.group(0).lower(), through=_SEASONS[m.group(1).lower()])
    months = month_names(question)
    if months:
        last = max(months)
        return Period(MONTHS[last - 1], through=last)
    return None


def _names(searcher: Engine, question: str, mentioned: Mentioned) -> tuple[str, ...]:
    """Proper names the answer's source must use: capitalised words the Swedish word list does not
    know and the index uses rarely, other than the nämnder the index holds (those select a report)."""
    analysis = searcher.analysis()
    common = COMMON_NAME * searcher.doc_count()
    names = []
    for m in _NAME.finditer(question):
        word = m.group(0)
        key = word.casefold()
        if key in lexicon() or any(key.startswith(k) for k in mentioned.keys):
            continue
        first = next(iter(analysis(word)), None)
        if first is not None and searcher.doc_frequency("text", first) > common:
            continue
        names.append(word)
    return tuple(names)


def read_constraints(searcher: Engine, question: str, mentioned: Mentioned, docs: list[dict]) -> Constraints:
    """What the question is about, given the reports the index holds (`docs`, all of them)."""
    latest = max((d["year"] for d in docs if d.get("year")), default=None)
    return Constraints(_years(question, latest), _period(question), mentioned.namnder,
                       _names(searcher, question, mentioned), month_names(question), _beyond(question, latest))


# The organ a named nämnd is asked about by ("Södermalms stadsdelsförvaltning", "Södermalm
# stadsdelsnämnd"): with the name it selects the report, and its rows never repeat it.
_ORGAN_WORD = re.compile(r"\b([A-ZÅÄÖ][\w-]*)\s+((?:stadsdels)?(?:förvaltning|nämnd)(?:en|ens)?)\b")


def report_words(question: str, c: Constraints) -> frozenset[str]:
    """The question's words (case-folded) that only say which report it is about: the organ of a
    nämnd it names ("Södermalms stadsdelsförvaltning") and the years it is about. They are
    checked on the report; a sentence need not repeat them."""
    # "Vilken förvaltning …" asks for the organ; "Södermalms stadsdelsförvaltning" names the report's.
    organs = {m.group(2).casefold() for m in _ORGAN_WORD.finditer(question)
              if m.group(1).casefold() not in QUESTION_WORDS} if c.namnder else set()
    return frozenset(organs | {str(y) for y in c.years})


# --- the reports the index holds --------------------------------------------------------

@dataclass(frozen=True)
class Coverage:
    """What one report accounts for: its nämnd, year, tertial (if a tertial report) and the last
    month of the year its figures reach (None for plans and reports of unknown reach)."""

    namnd: str | None
    year: int | None
    tertial: int | None
    through: int | None
    label: str

    @classmethod
    def of(cls, doc: dict) -> Coverage:
        period, kind, year = doc.get("period") or "", doc.get("report_type") or "", doc.get("year")
        tertial = int(m.group(1)) if (m := _TERTIAL.search(period) or _TERTIAL.search(kind)) else None
        if tertial:
            through, label = MONTHS_PER_TERTIAL * tertial, f"tertial {tertial}"
        elif _ANNUAL.search(kind):
            through, label = 12, "hela året"
        else:
            through, label = None, kind.lower() or "rapporten"
        return cls(doc.get("namnd"), year, tertial, through, f"{label} {year or ''}".strip())


def reports(searcher: Engine) -> list[dict]:
    """Each report's fields (its first passage's), read once per generation."""
    return searcher.per_generation("reports", lambda: searcher.first_documents(
        "doc_id", ("doc_id", "namnd", "year", "period", "report_type")))


def disagreement(c: Constraints, doc: dict, text: str = "") -> str | None:
    """Which of the question's constraints this report fails ("year", "period", "namnd"), or None.
    A report on another year agrees when `text` (what a source says) names a year asked about
    ("resultatet för 2019" in the report on 2021): a report states earlier years' figures too."""
    cover = Coverage.of(doc)
    if c.namnder and cover.namnd not in c.namnder:
        return "namnd"
    if c.years and cover.year not in c.years and not c.years & {int(y) for y in _STANDING_YEAR.findall(text)}:
        return "year"
    p = c.period
    if p is not None:
        if p.tertial is not None and cover.tertial != p.tertial:
            return "period"
        if p.through is not None and (cover.through is None or cover.through < p.through):
            return "period"
    return None


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def asked_label(c: Constraints) -> str:
    parts = [c.period.label] if c.period else []
    if c.years:
        parts.append(_join([str(y) for y in sorted(c.years)]))
    return " ".join(parts)


def uncovered_note(c: Constraints, docs: list[dict]) -> str | None:
    """None when some report agrees with the question; otherwise what the reports do cover, in
    Swedish: "Rapporterna redovisar för Kommunstyrelsen tertial 1 2020, inte tertial 2 2020."."""
    if any(disagreement(c, d) is None for d in docs):
        return None
    same = [d for d in docs if not c.namnder or d.get("namnd") in c.namnder]
    if not same:
        return None  # cannot happen: the nämnder named are read from the index
    in_year = [d for d in same if not c.years or d.get("year") in c.years]
    shown = in_year or same
    labels = sorted({Coverage.of(d).label for d in shown}, key=lambda s: (s[-4:], s))
    whom = f" för {_join(sorted(c.namnder))}" if c.namnder else ""
    return f"Rapporterna redovisar{whom} {_join(labels)}, inte {asked_label(c)}."


# --- a sentence against the question ----------------------------------------------------

def proper_part(word: str) -> str | None:
    """The name in a compound of a name and a common noun ("dublinärenden": dublin), which the
    text may join to another noun ("Dublinförordningen"); None when the word is no such compound."""
    words = lexicon()
    for cut in range(MIN_NAME, len(word) - MIN_NAME + 1):
        head, tail = word[:cut], word[cut:]
        if tail in words or lemma(tail) in words:  # the longest noun it ends in
            return None if head in words or lemma(head) in words else head
    return None


def missing_names(c: Constraints, text: str) -> list[str]:
    """The question's names that the source text never uses. A genitive -s counts as the name, an
    inflected or hyphenated one as its stems, and a compound name as its parts
    ("Stadshuskoncernen": Stockholms Stadshus AB … koncernen)."""
    folded = text.casefold()

    def said(word: str) -> bool:
        # Inflected in the question, plain in the text ("Klimp-programmet" for "Klimp-program").
        # A final consonant doubles before a vowel ending (program → programmet).
        cut = {stem for stem in stems(word) if len(stem) >= len(word) - 4}
        cut |= {stem[:-1] for stem in cut if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouyåäö"}
        return word in folded or any(stem in folded for stem in cut)

    def used(name: str) -> bool:
        key = name.casefold().removesuffix("s")
        parts = split_compound(key)
        own = proper_part(key)
        return (said(key) or all(said(part) for part in key.split("-") if part)
                or bool(parts) and all(p in folded for p in parts)
                or own is not None and re.search(rf"\b{re.escape(own)}", folded) is not None)

    return [n for n in c.names if not used(n)]


def other_months(c: Constraints, text: str) -> bool:
    """The sentence is about other months than those asked for ("januari–mars" for "april")."""
    if not c.months:
        return False
    said = month_names(text)
    return bool(said) and not c.months <= said


def source_label(doc: dict) -> str:
    """"Kommunstyrelsen, tertial 2 2015": what a fact shown beside a withheld answer is about."""
    cover = Coverage.of(doc)
    return ", ".join(p for p in (cover.namnd, cover.label) if p)
