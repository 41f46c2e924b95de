"""What a query asks for: the content words a passage must hold (each in any of its forms), the
years and nämnder it names (soft preferences), and the words typed without å/ä/ö.

A content word matches a passage that holds it as written, in any inflection (its lemma), as
the whole compound, as a part of a compound, through a curated synonym, or as an indexed variant
with its stem that the lemmatizer missed; a compound query word also matches a passage holding
all of its parts. One of its parts alone never does:
"trygghetsmedel" is not found by "medel".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..patterns import MONTH_PATTERN, YEAR, unaccent
from ..store.analysis import (
    STOPWORDS,
    TOKEN_PATTERN,
    TextAnalysis,
    lemma,
    split_compound,
)
from ..store.engine import Engine, StoredPassage
from ..swedish import (
    ABBREVIATIONS,
    COMPLEX_PREPOSITIONS,
    FILLER,
    INFLECTIONS,
    QUESTION_WORDS,
    REPORT_NAMES,
    STATUS_VERBS,
    VERB_NOUNS,
    YEAR_AS_UNIT,
)
from .operators import OPERATORS
from .questions import answer_type, is_question, predicate_words
from .synonyms import synonyms_of

# Fields that say what a passage holds: its text, its heading, and the goals, nämnd and period
# shown with it. The surrounding section (`context`) only adds to the score.
MATCH_FIELDS = ("text", "heading_text", "about")
# What holding some of a compound query word's parts is worth, against holding the word.
PART_CREDIT = 0.5

# Words that name the report itself ("enligt nämndens tertialrapport 2", "i delårsrapporten") or the city
# every report is about, not its content.
_REPORT_WORDS = re.compile(rf"^({'|'.join(REPORT_NAMES)})(en|ens|s|ets)?$", re.IGNORECASE)
# A reporting period: "tertial 1", "tertialbokslut 2", "T1", "helåret", "delåret". Which report
# covers it is a preference (and the answers' constraint), not a word the passage must hold.
# "januari–april", "årets andra tertial" and "våren 2020" name periods the same way.
_PERIOD = re.compile(r"\b(?:tertial(?:rapport|bokslut)?(?:en|ets)?\s*[123]|T[123]|(?:hel|del)år(?:et|ets)?"
                     r"|(?:årets\s+)?(?:första|andra|tredje)\s+tertial(?:et)?"
                     r"|(?:vår|höst)(?:en|ens)?(?=\s+(?:19|20)\d\d)"
                     rf"|(?:{MONTH_PATTERN})\s*[–-]\s*(?:{MONTH_PATTERN}))\b", re.IGNORECASE)
# Words of a question that name no topic (swedish.py): a passage need not hold them; the report
# says the same without them.
_FILLER = QUESTION_WORDS.words | FILLER.words | YEAR_AS_UNIT.words
# What the question asks for, named with its question words: "hur mycket pengar" (an amount),
# "hur stor andel" (a share), "vilket slutdatum" (a date). The answer type says it; the report
# gives the value without the word.
_ASKED = re.compile(r"\b(hur\s+mycket|hur\s+stora?|hur\s+många|vilket|vilken|vilka)\s+"
                    r"(?:pengar|medel|andel(?:en)?|del(?:en)?|procent|\w*datum(?:et)?)\b", re.IGNORECASE)
# A subordinate clause ("… trots att upphandlingen har försenats", "eftersom det blir fler
# elever", "när evenemanget ställdes in") says what the question presumes, not what it asks.
_CLAUSE = re.compile(r"\b(?:trots(?: att)?|eftersom|därför att|efter att|medan|när)\s+([^,?]*)", re.IGNORECASE)
# "per augusti", "per 31 augusti": a report's closing date names its period.
_CLOSING_DATE = re.compile(rf"\bper\s+(?:\d{{1,2}}\s+)?(?:{MONTH_PATTERN})\b", re.IGNORECASE)
_COMPLEX_PREPOSITION = re.compile(
    rf"\b(?:{'|'.join(re.escape(p) for p in sorted(COMPLEX_PREPOSITIONS, key=len, reverse=True))})\b", re.IGNORECASE)
# "SIP:ar", "KF:s": an abbreviation's ending is no word of its own.
_ABBREVIATION_ENDING = re.compile(r"(?<=[A-ZÅÄÖ]):[a-zåäö]{1,4}\b")


def strip_filler(q: str) -> str:
    """Question words and filler ("Hur mycket …?") are not required to match: drop them outside
    quoted phrases, and the question mark with them."""
    parts = re.split(r'("[^"]*")', q)
    # A status question's own verb ("Når nämnden målet?") asks for the status, which the expected
    # answer type favours; the report states it in its own words.
    dropped = _FILLER | (STATUS_VERBS.words if answer_type(q) == "status" else frozenset())
    for i in range(0, len(parts), 2):
        text = _ABBREVIATION_ENDING.sub("", _CLOSING_DATE.sub(" ", _ASKED.sub(r"\1", parts[i])))
        text = _COMPLEX_PREPOSITION.sub(" ", text)
        words = [w for w in re.split(r"\s+", text.replace("?", " ")) if w]
        parts[i] = " ".join(w for w in words if w.lower().strip(",.;:!") not in dropped)
    return " ".join(p for p in parts if p.strip())


def presumed_words(q: str) -> frozenset[str]:
    """The words (case-folded) that stand only in the question's subordinate clause. Its
    conjunction counts after a content word only: "Sedan när pågår …" asks when."""
    for m in _CLAUSE.finditer(q):
        before = re.findall(r"[^\W\d_]+", q[:m.start()].casefold())
        if any(w not in STOPWORDS and w not in _FILLER for w in before):
            main = re.findall(r"\w+", f"{q[:m.start()]} {q[m.end():]}".casefold())
            return frozenset(re.findall(r"\w+", m.group(1).casefold())) - set(main)
    return frozenset()


@dataclass(frozen=True)
class Mentioned:
    """The years and nämnder a query names ("… på Södermalm 2020") that the index holds."""

    years: frozenset[int]
    namnder: frozenset[str]
    keys: frozenset[str] = frozenset()  # the query words' stems that named the nämnder

    def boost(self, fields: StoredPassage, year_weight: float, namnd_weight: float) -> float:
        return (1 + year_weight * (fields.year in self.years)) * (1 + namnd_weight * (fields.namnd in self.namnder))


def mentioned_metadata(searcher: Engine, q: str) -> Mentioned:
    years = {int(y) for y in YEAR.findall(q)}
    words = {w.casefold() for w in re.findall(r"[^\W\d_]{4,}", q)}
    short = {w.casefold() for w in re.findall(r"[^\W\d_]+", q)} & ABBREVIATIONS.keys()
    namnder, keys = {ABBREVIATIONS[w] for w in short}, set(short)
    offices = offices_of(searcher)
    for value in searcher.lexicon("namnd"):
        for key in namnd_keys(value, offices.get(value)):
            if any(w.startswith(key) for w in words):
                namnder.add(value)
                keys.add(key)
    return Mentioned(frozenset(years), frozenset(namnder), frozenset(keys))


def namnd_keys(namnd: str, office: str | None = None) -> set[str]:
    """Stems of the words a query names a nämnd by: "Södermalms stadsdelsnämnd" → södermalm;
    "Kommunstyrelsen" → kommunstyrelsen, stadsledningskontor (its office, as its reports name it)."""
    keys = {namnd.split()[0].casefold().removesuffix("s")}
    if office and not office.startswith(namnd.split()[0]):
        keys.add(office.split()[0].casefold().removesuffix("et").removesuffix("en"))
    return keys


def offices_of(searcher) -> dict[str, str]:
    """Each nämnd's office, read from its reports ("Stadsledningskontorets förslag till beslut")."""
    return searcher.per_generation("offices", lambda: {
        d["namnd"]: d["office"] for d in searcher.first_documents("doc_id", ("namnd", "office"))
        if d.get("namnd") and d.get("office")})


def strip_report_words(q: str, mentioned: Mentioned) -> str:
    """Drop the words that name the report (its type, a nämnd the index holds): they select a
    report, which the soft preference does, and would otherwise match administrative boilerplate."""
    parts = re.split(r'("[^"]*")', q)
    for i in range(0, len(parts), 2):
        kept = []
        for word in _PERIOD.sub(" ", parts[i]).split():
            bare = word.strip(",.;:!?").casefold()
            if _REPORT_WORDS.match(bare) or bare in mentioned.keys or any(
                    bare.startswith(key) for key in mentioned.keys if len(key) >= 4):
                continue
            kept.append(word)
        parts[i] = " ".join(kept)
    return " ".join(p for p in parts if p.strip())


@dataclass(frozen=True)
class Concept:
    """One content word of the query and the index tokens that count as holding it."""

    word: str  # as typed (after accent folding, as searched)
    forms: frozenset[str]  # as written, lemma, compound with its last part in base form
    parts: tuple[str, ...] = ()  # a compound's parts: all of them together also count
    synonyms: frozenset[str] = frozenset()
    variants: frozenset[str] = frozenset()  # indexed words with the same stem the lemmatizer missed
    # A question's predicate words (questions.predicate_words) rank a passage but do not select it.
    required: bool = True

    def tokens(self) -> frozenset[str]:
        """Tokens that each alone show the word is held (for coverage and answers)."""
        return self.forms | self.synonyms | self.variants

    def held_by(self, tokens: set[str] | frozenset[str]) -> bool:
        return bool(self.tokens() & tokens) or bool(self.parts) and all(p in tokens for p in self.parts)

    def credit(self, tokens: set[str] | frozenset[str]) -> float:
        """1 when held; for a compound, a share of PART_CREDIT per part held (coronavåren →
        coronapandemin says half of it): ranking only, never a match."""
        if self.held_by(tokens):
            return 1.0
        if not self.parts:
            return 0.0
        return PART_CREDIT * sum(p in tokens for p in self.parts) / len(self.parts)


def _forms(word: str, analysis: TextAnalysis) -> tuple[frozenset[str], tuple[str, ...]]:
    """The word's own tokens under the index's analysis (as written, lemma), without the parts
    of a compound, and those parts."""
    tokens = set(analysis(word))
    low = word.lower()
    parts = split_compound(low) if analysis.compounds and low.isalpha() else ()
    part_forms = set(parts) | {lemma(p) for p in parts}
    return frozenset(tokens - part_forms) or frozenset(tokens), parts


def concept(word: str, analysis: TextAnalysis) -> Concept | None:
    """The word's forms under the index's own analysis; None for a stop word."""
    forms, parts = _forms(word, analysis)
    if not forms:
        return None
    synonyms: set[str] = set()
    if analysis.lemmas:
        for other in synonyms_of(forms):
            synonyms |= _forms(other, analysis)[0]  # a part of a synonym alone is no synonym
    return Concept(word, forms, parts if len(parts) > 1 else (), frozenset(synonyms - forms))


# A shorter stem says too little (kost, food, is no cost; plan no planning), except where a verb
# meets the noun made from it (utöka → utökning).
MIN_STEM = 5
# At most this many indexed variants per word.
MAX_VARIANTS = 20


def stems(word: str) -> dict[str, str]:
    """The word's stems of at least MIN_STEM - 1 letters, each with how it was made: the word itself
    ("word"), an inflection cut ("inflection"), or a verb's noun ending cut ("derivation")."""
    out: dict[str, str] = {}
    for endings, how in ((VERB_NOUNS, "derivation"), (INFLECTIONS, "inflection")):
        for e in endings:
            if word.endswith(e) and len(word) - len(e) >= MIN_STEM - 1:
                out[word[:-len(e)]] = how
    if len(word) >= MIN_STEM:
        out[word] = "word"
    return out


def same_stem(a: dict[str, str], b: dict[str, str]) -> bool:
    """Whether two words share a stem. A noun ending joins a verb's stem only (förorda →
    förordning), never a whole word (förord is no förordning)."""
    return any({a[s], b[s]} == {"inflection", "derivation"}
               or len(s) >= MIN_STEM and {a[s], b[s]} != {"word", "derivation"} for s in a.keys() & b.keys())


def variants(searcher: Engine, c: Concept) -> frozenset[str]:
    """Indexed words sharing a stem with the word (eldriven → eldrivna, samordnade → samordnar,
    införa → införandet) that its lemmas do not already join: the lemmatizer knows neither form
    of many compounds and report words."""
    if not c.word.isalpha():
        return frozenset()
    own: dict[str, str] = {}
    for form in sorted(c.forms | {c.word.lower()}):
        for stem, how in stems(form).items():
            own[stem] = "word" if own.get(stem) == "word" else how
    found: set[str] = set()
    for stem in sorted(own, key=len):
        for term in searcher.expand_prefix("text", stem):
            if term not in c.forms and term.isalpha() and same_stem(own, stems(term)):
                found.add(term)
            if len(found) >= MAX_VARIANTS:
                return frozenset(found)
    return frozenset(found)


@dataclass
class Plan:
    """How a free-text query is searched."""

    concepts: list[Concept]
    mentioned: Mentioned
    folded: dict[str, str] = field(default_factory=dict)  # typed word → indexed word with å/ä/ö
    presumed: frozenset[str] = frozenset()  # words only in a subordinate clause (presumed_words)

    def folded_query(self, q: str) -> str | None:
        """The query as searched, when a word was read with its å/ä/ö ("sodermalm" → "södermalm")."""
        for typed, found in self.folded.items():
            q = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", found, q)
        return q if self.folded else None


def content_words(q: str, mentioned: Mentioned) -> list[str]:
    """The words a passage must hold: not question words or filler, not the report's own name, not
    years (those are preferences). When nothing else is left, the nämnd's or year's own words are
    what is searched."""
    filled = strip_filler(q) or q
    for text, drop_years in ((strip_report_words(filled, mentioned), True), (filled, True), (filled, False)):
        words = [w for w in re.findall(TOKEN_PATTERN, text.replace('"', " "))
                 if w.lower() not in STOPWORDS and w not in OPERATORS and not (drop_years and YEAR.fullmatch(w))]
        if words:
            return words
    return []


def plan(searcher: Engine, q: str, analysis: TextAnalysis | None = None) -> Plan:
    analysis = analysis or searcher.analysis()
    mentioned = mentioned_metadata(searcher, q)
    concepts: list[Concept] = []
    folded: dict[str, str] = {}
    asserted = predicate_words(q) if is_question(q) else frozenset()
    for word in content_words(q, mentioned):
        c = with_variants(searcher, concept(word, analysis))
        if c is None:
            continue
        if not known(searcher, c):
            spelled = accent_map(searcher).get(unaccent(word.lower()))
            replaced = with_variants(searcher, concept(spelled, analysis)) if spelled else None
            if replaced is not None and known(searcher, replaced):
                folded[word] = spelled
                c = replaced
        if word.casefold() in asserted:
            c = replace(c, required=False)
        if c not in concepts:
            concepts.append(c)
    if concepts and not any(c.required for c in concepts):  # a question of predicates alone
        concepts = [replace(c, required=True) for c in concepts]
    return Plan(concepts, mentioned, folded, presumed_words(q))


def with_variants(searcher: Engine, c: Concept | None) -> Concept | None:
    """The concept with the indexed variants of its stem."""
    return c and replace(c, variants=variants(searcher, c) - c.synonyms)


def known(searcher: Engine, c: Concept) -> bool:
    """Whether the index holds the word itself in some form (inflected, as a compound, as a
    synonym). Its parts apart do not count: "forskola" is not fors + kola but förskola typed
    without ö."""
    return any(searcher.doc_frequency(f, t) for t in c.tokens() for f in MATCH_FIELDS)


def accent_map(searcher: Engine) -> dict[str, str]:
    """Indexed words with å/ä/ö/é by their plain spelling ("sodermalm" → "södermalm"), built once
    per index generation."""
    return searcher.per_generation("accent_map", lambda: _build_accent_map(searcher))


def _build_accent_map(searcher: Engine) -> dict[str, str]:
    counts: dict[str, tuple[int, str]] = {}
    for word in searcher.lexicon("words"):
        plain = unaccent(word)
        if plain != word:
            n = searcher.doc_frequency("words", word)
            if plain not in counts or n > counts[plain][0]:
                counts[plain] = (n, word)
    return {plain: word for plain, (_, word) in counts.items()}
