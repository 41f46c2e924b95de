"""Answers to Swedish questions: the sentence (or structured row, or list of rows) that answers,
its key value, and the passage it came from — or an honest reply that the reports do not say.
Offline and explainable:

1. what the question asks for (`questions.answer_type`) and what it is about: its period, years,
   nämnder and names (`constraints`);
2. "Vilka mål uppfylls delvis …" and "Vilka aktiviteter har avvikelse …" are answered from the
   structured records in full, each item cited;
3. otherwise the top passages from search; candidate sentences (Punkt, Swedish) from them — a
   goal, an activity or an indicator row is a candidate whole, since its status, dates or values
   are the answer — each scored by how many of the question's words it holds (with the index's
   analysis), how close together they stand, whether it holds a value of the expected type, and
   how well its passage ranked;
4. a candidate from a report about another period, year or nämnd, or that never uses a name the
   question uses, is never the answer: it is shown as the nearest fact, labelled with what it is
   about, beside a note on what the reports do cover;
5. the best agreeing candidate answers when its score clears the threshold (checked by 2-fold
   cross-validation, `rapportsok eval`) — with the next sentence of its passage for open
   questions; otherwise the passages are shown.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from ..patterns import MONEY_UNITS, STATUS_LABELS
from ..sentences import sentences
from ..store.analysis import TextAnalysis, lexicon
from ..store.engine import Engine, query
from ..swedish import ANAPHORA, NUMBERED_LABELS, VERB_NOUN_FORMS
from .constraints import (
    COMMON_NAME,
    Constraints,
    disagreement,
    missing_names,
    month_names,
    other_months,
    report_words,
    reports,
    source_label,
    uncovered_note,
)
from .questions import (
    SIGNATURE,
    VALUE_PATTERNS,
    Predicate,
    asked_noun,
    asks_change,
    is_passive,
)
from .ranking import DEFAULT, Ranking
from .plan import Concept, known
from .reading import Question, read_question
from .search import Hit, SearchParams, SearchResult, concept_query, concept_weights, search, stored_hit

MAX_CHARS = 400
TOP_PASSAGES = 6
# How far down the hits to look for a passage from a report that agrees with the question when
# the first ones are about other periods or places.
AGREEING_PASSAGES = 20
WHOLE_KINDS = ("goal", "activity", "indicator", "decision")
# How an activity or indicator passage appends its comment to the row.
COMMENT = re.compile(r"\s+Analys: ")
# Words that name a structured passage's kind or fields: a question that says "aktiviteten",
# "slutdatum" or "indikatorn" is matched by the row itself, which never repeats them.
KIND_WORDS = {"activity": "aktivitet startdatum slutdatum", "indicator": "indikator utfall årsmål",
              "goal": "mål nämndmål"}
# Below these the answer is withheld: a wrong confident answer is worse than none. THRESHOLD is
# the one with the best utility (a right answer +1, a wrong one −2, an answer to an unanswerable
# question wrong) over the dev set and its unanswerable questions; `rapportsok eval` shows the
# trade-off and checks the choice by 2-fold cross-validation (benchmarks/README.md, "Answers").
THRESHOLD = 0.5
MIN_COVERAGE = 0.2
# Rows of a money table (more than this share of numbers; an indicator's row is its name and
# figures, not a table) hold every word of a question about money and say nothing about which
# cell is meant.
TABLE_SHARE = 0.4
# What the answer model reads of a candidate, each in [0, 1]: the question's words it holds
# (rarity-weighted, its passage's in part), how close together they stand, whether it holds a
# value of the asked type, how well its passage ranked against the first, whether it fails to
# state the question's content verb, whether it is a whole goal, activity or indicator row, and
# how far down the passages it stands.
FEATURES = ("coverage", "proximity", "typed", "rank", "unstated", "whole_row", "position")


@dataclass(frozen=True)
class AnswerWeights:
    """How a candidate is scored: a logistic regression over its FEATURES, fitted on the tuning
    half of the evaluation cases (`python benchmarks/fit_answers.py`; benchmarks/README.md, "Answers"), so its
    score is the estimated probability that the candidate answers."""

    intercept: float = -5.0
    coefficients: tuple[float, ...] = (5.5, 1.0, 2.0, 1.5, -1.5, 0.0, 0.0)
    # A value only loosely of the asked type counts this share of a fitting one (the `typed`
    # feature): a bare number for an amount (a table's head count for how much a budget falls), a
    # bare year for a date, any capitalised name where a compound with the asked noun exists, a
    # start for "är … klar", an activity's plan for "klarade/nådde" (its indicator's outcome answers).
    loose: float = 0.0

    def score(self, features: tuple[float, ...]) -> float:
        z = self.intercept + sum(w * x for w, x in zip(self.coefficients, features))
        return 1 / (1 + math.exp(-max(min(z, 30.0), -30.0)))

    def without(self, name: str) -> AnswerWeights:
        """This model with one feature's coefficient set to 0 (for tests and the ablation)."""
        i = FEATURES.index(name)
        return replace(self, coefficients=self.coefficients[:i] + (0.0,) + self.coefficients[i + 1:])


ANSWER_WEIGHTS = AnswerWeights()

# The share of a candidate's coverage that its own words give; the rest comes from its passage.
UNIT_SHARE = 0.6
# How much better a candidate about another period or place must match than the best agreeing
# one for the answer to be withheld.
OUTMATCHED = 0.05
# Most items a list answer names; the rest are counted ("och 12 till").
MAX_ITEMS = 40
# Words this long match the longer forms they begin (an inflection): shorter ones would match
# unrelated words.
MIN_STEM = 7
# A compound's part this long also stands for the words it begins (bygg → byggnaden).
MIN_PART_STEM = 4
# Shorter verbs in -a derive no noun in -ning worth matching ("ha", "ska").
MIN_VERB = 3
# Questions for a figure: an indicator's or activity's row holds it, not its comment.
FIGURES = ("amount", "share", "count")
# Questions whose answer is a value: only a candidate that holds one can answer them. A reason
# is often given without "eftersom" ("Försöksperioden har kortats till 7 månader"): it is preferred,
# not required.
TYPED = ("amount", "share", "count", "date", "name")


@dataclass
class Answer:
    text: str
    value: str | None
    type: str | None
    confidence: float
    source: Hit
    items: list[Answer] = field(default_factory=list)  # a list answer: each item with its own source
    about: str | None = None  # what the fact is about: "Kommunstyrelsen, tertial 2 2015"

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "type": self.type, "confidence": round(self.confidence, 3),
                "source": self.source.to_dict(), "about": self.about, "items": [i.to_dict() for i in self.items]}


@dataclass
class Reply:
    """What `ask` returns: the answer or None, the passages it was chosen from, and when it is
    withheld, a note in Swedish saying why and the nearest fact, about another period or place."""

    answer: Answer | None
    sources: list[Hit]
    note: str | None = None
    nearest: Answer | None = None


@dataclass
class _Candidate:
    text: str
    hit: Hit
    rank: int
    coverage: float
    proximity: float
    value: str | None
    score: float = 0.0
    after: str | None = None  # the next sentence of its passage
    features: tuple[float, ...] = ()  # in FEATURES order


def _tokens_with_positions(text: str, analyzer: TextAnalysis) -> list[tuple[int, set[str]]]:
    """Each word's position and the index tokens it analyzes to."""
    return [(i, set(analyzer(word))) for i, word in enumerate(re.findall(r"\w+(?:[-,]\w+)*", text))]


def _match(concepts: list[Concept], weights: list[float], text: str, analyzer: TextAnalysis) -> tuple[float, float, list[int]]:
    """(weighted share of the question's words in the text, how tightly they cluster, their positions).
    Rare words weigh more: a sentence without the one word that makes the question specific
    does not answer it."""
    if not concepts:
        return 0.0, 0.0, []
    words = _tokens_with_positions(text, analyzer)
    positions = []
    found = 0.0
    for c, weight in zip(concepts, weights):
        forms = c.tokens()
        # A long word also matches its inflected forms the lemmatizer does not know
        # (planeringsfas → planeringsfasen).
        stems = [f for f in forms if len(f) >= MIN_STEM]
        hits = [i for i, toks in words if forms & toks or any(t.startswith(f) for f in stems for t in toks)]
        if not hits and c.parts:  # a compound's parts, standing apart
            at = [[i for i, toks in words if part in toks] for part in c.parts]
            hits = [min(i for places in at for i in places)] if all(at) else []
        if hits:
            found += weight
            positions.append(hits[0])
    coverage = found / sum(weights)
    if len(positions) < 2:
        return coverage, 0.0, positions  # one word stands close to nothing
    span = max(positions) - min(positions) + 1
    return coverage, min(1.0, len(positions) / span), positions  # two words may share a token


def derived_forms(concepts: list[Concept]) -> list[Concept]:
    """Each question word with the nouns Swedish derives from its verb: renovera → renovering,
    utöka → utökning, satsa → satsning, kosta → kostnad. Questions ask with the verb, reports
    state the noun ("36,0 mnkr för simhallsrenoveringar", "Ansvar för införandet ligger hos …")."""
    out = []
    for c in concepts:
        more = set(c.forms)
        for f in c.forms:
            if f.endswith("a") and len(f) > MIN_VERB:
                more.update(f[:-1] + ending for ending in VERB_NOUN_FORMS)
                if f[:-1] in lexicon():  # ansvara → ansvar, inköpa → inköp
                    more.add(f[:-1])
        out.append(replace(c, forms=frozenset(more)))
    return out


def _is_name(match: re.Match) -> bool:
    """A run of capitalised words naming something: not a common word that starts a sentence or
    a heading (Antal, Stadsledningskontoret …): names are not in the lower-case word list."""
    words = re.findall(r"[\wåäö]+", match.group(0))
    return any(w.lower() not in lexicon() for w in words)


def extract_value(kind: str | None, text: str, near: list[int] | None = None, asked: str = "",
                  ordinary=lambda word: False) -> str | None:
    """The part of the text that answers a question of this kind: an amount, a count, a date,
    a status, a reason or names (never one the question itself uses, nor one so common in the
    reports that it names nothing in particular: `ordinary`). The match nearest the question's
    words wins."""
    pattern = VALUE_PATTERNS.get(kind or "")
    if pattern is None:
        return None
    matches = list(pattern.finditer(text))
    if kind == "name":
        said = asked.casefold()
        matches = _kind_of(asked_noun(asked), text, said) or [
            m for m in matches if m.start() > 0 and _is_name(m)
            and not all(w.casefold().removesuffix("s") in said or ordinary(w) for w in re.findall(r"\w+", m.group(0)))]
    if kind == "count":
        # A year or a date's figures count nothing ("fortsätter under 2021", "2020-01-01").
        dates = [d.span() for d in _DATE.finditer(text)]
        matches = [m for m in matches if not _BARE_YEAR.fullmatch(m.group(0).split()[0].strip("-–"))
                   and not any(a <= m.start() < b for a, b in dates)
                   and not _MONEY_AFTER.match(text, m.start() + len(m.group(0).split()[0]))
                   and not _labels(text, m)]
    if kind == "amount":
        # An amount with its unit ("80,0 miljoner kronor") before a bare number from a table cell.
        matches = [m for m in matches if not m.group(0)[-1].isdigit()] or matches
    if not matches:
        return None
    if near:
        starts = _word_starts(text)
        centre = sum(near) / len(near)

        def distance(m: re.Match) -> float:
            index = sum(1 for s in starts if s <= m.start())
            return abs(index - centre)

        matches.sort(key=distance)
    return matches[0].group(0).strip(" ,.")


def _kind_of(noun: str | None, text: str, said: str) -> list[re.Match]:
    """Words naming one of the kind asked about — a compound with its noun as the head
    (Överförmyndarnämnden for "vilken nämnd", socialförvaltningen for "vilken förvaltning") —
    that the question does not use itself. Not in the indefinite plural: "märkesbyggnader" says
    what kind of buildings, not which."""
    if not noun:
        return []
    return [m for m in re.finditer(rf"\b[^\W\d_]+{re.escape(noun)}(?:en|et|n|t|erna|arna)?\b", text,
                                   re.IGNORECASE)
            if m.group(0).casefold() not in said]


def _lists(noun: str | None, text: str) -> bool:
    """Whether the text names the asked noun itself before a colon or a "som"/"bland annat":
    "följande byggnader: Stadshuset, …" lists names of that kind."""
    return bool(noun) and re.search(rf"\b{re.escape(noun)}\w*(?::|\s+som\b|\s+bland\s+annat\b)", text,
                                    re.IGNORECASE) is not None


def _word_starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\w+(?:[-,]\w+)*", text)]


_DATE = re.compile(r"\d{4}-\d\d(?:-\d\d)?")


def _labels(text: str, m: re.Match) -> bool:
    """Whether the number names one of a series rather than counts: a heading's "… 2:", or after
    a noun such as "bilaga" or "tabell" (swedish.NUMBERED_LABELS)."""
    number = m.group(0).split()[0]
    before = re.findall(r"[^\W\d_]+", text[max(m.start() - 30, 0):m.start()])
    return text[m.start() + len(number):].startswith(":") or bool(before) and before[-1].casefold() in NUMBERED_LABELS
# A sum of money counts nothing ("13 mnkr" is no count of reserves).
_MONEY_AFTER = re.compile(rf"\s*(?:{'|'.join(re.escape(u) for u in MONEY_UNITS)}|kronor|kr)\b", re.IGNORECASE)


_FULL_STOP = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")


def _units(hit: Hit, kind: str | None) -> list[str]:
    """What may answer within a passage: the row itself for structured kinds (with its Analys
    comment too, except for figures, which the row gives), else its sentences."""
    if hit.section["kind"] in WHOLE_KINDS:
        row = COMMENT.split(hit.text)[0][:MAX_CHARS]
        commented = bool(COMMENT.search(hit.text)) and kind not in FIGURES
        return [row] + ([hit.text[:MAX_CHARS]] if commented else [])
    out = []
    for sentence in sentences(hit.text):
        # A run too long to be one answer is cut wherever a full stop meets a capital.
        parts = [sentence] if len(sentence) <= MAX_CHARS else _FULL_STOP.split(sentence)
        out.extend(p for p in parts if len(p) <= MAX_CHARS)
    return out


def _numeric_share(text: str) -> float:
    words = text.split()
    return sum(bool(re.fullmatch(r"[-–+]?[\d,. %]+", w)) for w in words) / max(len(words), 1)


# Asked types a value can fit loosely (AnswerWeights.loose): a figure without its money unit,
# a year where a day is asked, a start where the end is asked.
_BARE_NUMBER = re.compile(r"[-–]?[\d ,]+")
_BARE_YEAR = re.compile(r"(?:19|20)\d\d")
_ASKS_YEAR = re.compile(r"\bvilket år\b", re.IGNORECASE)
# "Är … klar", "blev … genomförd", "i drift": asks whether something is finished.
_ASKS_DONE = re.compile(r"\b(?:klar[at]?|färdig\w*|genomförd|genomfört|genomförts|slutför\w*|i drift)\b",
                        re.IGNORECASE)
_DONE = re.compile(r"genomför(?:d|t|ts)|klar[at]?\b|färdig|slutför|avslutad|i drift|driftsatt|uppnåtts",
                   re.IGNORECASE)
# "Klarade/nådde/uppnådde …": asks what was achieved, which an indicator's outcome or a goal's
# status says, not an activity's plan.
_ASKS_OUTCOME = re.compile(r"^\s*(?:klara\w*|nå\w*|uppnå\w*)\b", re.IGNORECASE)


def _typed(kind: str | None, value: str | None, hit: Hit, question: str = "", exact_name: bool = True,
           loose: float = ANSWER_WEIGHTS.loose) -> float:
    """1 when the unit holds what the question asks for, `loose` when only loosely (see
    AnswerWeights.loose), 0 when it holds nothing of the type, ½ for open questions."""
    if kind is None:
        return 0.5
    if kind == "status" and hit.section["kind"] in WHOLE_KINDS:
        # a goal's status, an activity's dates and deviation, an indicator's values
        return loose if _ASKS_OUTCOME.search(question) and hit.section["kind"] == "activity" else 1.0
    if not value:
        return 0.0
    if kind == "amount" and value.endswith(("%", "procent")) and asks_change(question):
        return 1.0
    if kind == "amount" and (value.endswith(("%", "procent")) or _BARE_NUMBER.fullmatch(value)):
        return loose  # "hur mycket" asks for money first, a change in per cent second
    if kind == "date" and _BARE_YEAR.fullmatch(value) and not _ASKS_YEAR.search(question):
        return loose
    if kind == "name" and not exact_name:
        return loose
    if kind == "status" and _ASKS_DONE.search(question) and not _DONE.search(value):
        return loose
    return 1.0


def states(verbs: tuple[Predicate, ...], unit: str, analyzer: TextAnalysis) -> bool:
    """Whether the unit states one of the question's content verbs, in any form or as a noun
    made from it (a long form also as the head of a compound: simhallsrenoveringar)."""
    if not verbs:
        return True
    tokens = set().union(*(toks for _, toks in _tokens_with_positions(unit, analyzer)))
    forms = set().union(*(v.forms() for v in verbs))
    return bool(forms & tokens) or any(f in t for f in forms if len(f) >= MIN_STEM for t in tokens)


def candidates(hits: list[Hit], concepts: list[Concept], weights: list[float], q: Question, analyzer: TextAnalysis,
               ordinary=lambda word: False, tuned: AnswerWeights = ANSWER_WEIGHTS) -> list[_Candidate]:
    out = []
    kind, question, verbs, noun = q.kind, q.text, q.predicates, q.slot
    signing = q.expected == "signature"
    top = hits[0].score if hits and hits[0].score else 1.0
    said = question.casefold()
    # A name is loose only when some passage names one of the asked kind itself ("från vilken
    # förvaltning": socialförvaltningen); "vilka kollektivtrafikprojekt" is answered by names.
    kind_named = bool(noun) and any(_kind_of(noun, hit.text, said) for hit in hits)
    heaviest = max(range(len(concepts)), key=lambda i: weights[i]) if concepts else None
    for rank, hit in enumerate(hits):
        # A figure's row says what it counts; the Analys under it is about the work ("Sjukfrånvaro
        # dag 1-14" is no answer to the sick leave of "medarbetare" because its comment says that).
        around, _, _ = _match(concepts, weights, _source_text(hit, row_only=kind in FIGURES), analyzer)
        if around == 0:
            continue
        units = _units(hit, kind)
        for i, unit in enumerate(units):
            own, proximity, positions = _match(concepts, weights, unit, analyzer)
            if i and hit.section["kind"] not in WHOLE_KINDS and _continues(unit):
                # "Dessa beräknas inte överstiga 4 mnkr": a sentence opening with a demonstrative
                # is about what the one before it names.
                own = max(own, _match(concepts, weights, f"{units[i - 1]} {unit}", analyzer)[0])
            signed = SIGNATURE.fullmatch(unit) if signing else None
            if signed:
                # "Vem skrev förordet?": the signature under a text stands for the text it closes.
                own, value = around, signed.group(1)
            else:
                value = extract_value(kind, unit, positions, question, ordinary)
            # The question's words in the sentence count most; in the rest of its passage (heading,
            # goals, neighbouring sentences) they still say what the sentence is about.
            coverage = UNIT_SHARE * own + (1 - UNIT_SHARE) * around
            prose = hit.section["kind"] not in WHOLE_KINDS and i + 1 < len(units)
            c = _Candidate(unit, hit, rank, coverage, proximity, value, after=units[i + 1] if prose else None)
            # A table's cells say nothing of what they count but by its row and column heads: a
            # table without the question's rarest word is about something else (a nämnd's whole
            # budget table for a question about what one purchase cost).
            table = _numeric_share(unit) > TABLE_SHARE and hit.section["kind"] != "indicator"
            if table and value and heaviest is not None and not _match([concepts[heaviest]], [1.0], unit, analyzer)[0]:
                value = None
            exact = signed is not None or not kind_named or bool(_kind_of(noun, unit, said)) or _lists(noun, unit)
            typed = _typed(kind, value, hit, question, exact, tuned.loose)
            unstated = not (signed or states(verbs, unit, analyzer))
            c.features = (coverage, proximity, typed, hit.score / top, float(unstated),
                          float(hit.section["kind"] in WHOLE_KINDS), rank / max(len(hits), 1))
            c.score = tuned.score(c.features)
            out.append(c)
    return sorted(out, key=lambda c: -c.score)


def _continues(unit: str) -> bool:
    words = unit.split(maxsplit=1)
    return bool(words) and words[0].casefold() in ANAPHORA


def _source_text(hit: Hit, row_only: bool = False) -> str:
    """Everything that says what a passage is about: its text (a row without its comment when
    `row_only`), heading, goals and report."""
    goals = " ".join(g["title"] for g in hit.section["goal_path"])
    text = COMMENT.split(hit.text)[0] if row_only and hit.section["kind"] in WHOLE_KINDS else hit.text
    return " ".join([text, hit.section["heading"] or "", goals, hit.doc.get("title") or "",
                     KIND_WORDS.get(hit.section["kind"], "")])


def conflict(c: Constraints, unit: str, hit: Hit) -> str | None:
    """Why this candidate cannot answer the question, or None when it agrees (a sentence naming
    the year asked about agrees on the year whatever its report's)."""
    if disagreement(c, hit.doc, unit):
        return "report"
    if missing_names(c, _source_text(hit)):
        return "name"
    # The sentence's months, or where it names none ("under perioden"), its passage's.
    if other_months(c, unit) or not month_names(unit) and other_months(c, hit.text):
        return "months"
    # A year after every report's ("avsatt … 2022") is answered only by a source naming it.
    if c.beyond and not any(str(y) in _source_text(hit) for y in c.beyond):
        return "beyond"
    return None


# Questions that ask how, why, what happened or whether something is done, and keywords: one
# sentence often gives the plan or the subject, the next its outcome or figure ("En upphandling
# … har påbörjats. Upphandlingen … beräknas vara genomförd under 2007."). Their answer is the
# sentence with the next one in its passage, when both fit in MAX_CHARS.
OPEN_KINDS = (None, "status", "reason")


def _answer(c: _Candidate, kind: str | None, about: str | None = None) -> Answer:
    text = c.text
    if kind in OPEN_KINDS and c.after and len(text) + len(c.after) < MAX_CHARS:
        text = f"{text} {c.after}"
    return Answer(text, c.value, kind, min(1.0, c.score), c.hit, about=about)


# --- lists from the structured records ----------------------------------------------------

def _list_answer(searcher: Engine, request, c: Constraints, filters: dict) -> Answer | None:
    """All goals with the asked status, or all activities with deviation, in the reports the
    question names; each item cited. None when there are none."""
    terms = [query.Term("kind", request.kind)]
    if request.status:
        terms.append(query.Term("status", request.status))
    if request.deviation:
        terms.append(query.Term("deviation", "ja"))
    for namnd in sorted(c.namnder) or [filters.get("namnd")]:
        if namnd:
            terms.append(query.Term("namnd", namnd))
    years = sorted(c.years) or ([filters["year"]] if filters.get("year") else [])
    if years:
        terms.append(query.Or(tuple(query.Range("year", y, y) for y in years)))
    if filters.get("doc_id"):
        terms.append(query.Term("doc_id", filters["doc_id"]))
    found = searcher.find(query.And(tuple(terms)), sortedby="order")
    items, seen = [], set()
    for fields in found:
        hit = stored_hit(fields, 1.0, "")
        if disagreement(c, hit.doc):
            continue
        goal = hit.section["goal_path"][-1] if hit.section["goal_path"] else None
        if request.kind == "goal":
            if goal is None or goal["status"] != request.status or (request.level and goal["level"] != request.level):
                continue
            text = f"{goal['number'] or ''} {goal['title']}".strip()
            value = STATUS_LABELS[request.status]
        else:
            text, value = (hit.section["heading"] or hit.text).rstrip(". "), "Avvikelse"
        key = (hit.doc["id"], text)
        if key in seen:
            continue
        seen.add(key)
        items.append(Answer(text, value, "list", 1.0, hit, about=source_label(hit.doc)))
    if not items:
        return None
    reports_named = sorted({i.about for i in items})
    what = (f"{len(items)} {request.noun} {STATUS_LABELS[request.status].lower()}" if request.kind == "goal"
            else f"{len(items)} {request.noun} med avvikelse")
    shown = "; ".join(i.text for i in items[:MAX_ITEMS])
    rest = f"; och {len(items) - MAX_ITEMS} till" if len(items) > MAX_ITEMS else ""
    text = f"{what} ({' · '.join(reports_named)}): {shown}{rest}."
    return Answer(text, None, "list", 1.0, items[0].source, items=items)


# --- asking -----------------------------------------------------------------------------

@dataclass
class Ranked:
    """Everything the decision needs: the hits, what the question is about, and every candidate
    scored, each with its conflict with the question (None when it agrees)."""

    hits: list[Hit]
    constraints: Constraints
    note: str | None
    kind: str | None
    scored: list[tuple[_Candidate, str | None]]
    unknown: tuple[str, ...]  # topic words the index holds in no form
    listed: Answer | None = None
    absent: tuple[str, ...] = ()  # topic words no passage holds in any form a search counts (absent_words)


def rank(searcher: Engine, question: str | Question, limit: int, ranking: Ranking = DEFAULT,
         tuned: AnswerWeights = ANSWER_WEIGHTS, result: SearchResult | None = None, **filters) -> Ranked:
    """Every candidate answer scored, from `result` (the question's search, with at least
    AGREEING_PASSAGES hits when it has so many) or from a search of its own."""
    q = question if isinstance(question, Question) else read_question(searcher, question)
    params = SearchParams(q=q.text, limit=max(limit, AGREEING_PASSAGES), **filters)
    # The passages holding every topic word, then the nearest ones lacking some: an answer may be
    # phrased otherwise than the question.
    hits = (result or search(searcher, params, ranking, q)).ranked()
    filters = params.filters()
    c, kind = q.constraints, q.kind
    docs = [d for d in reports(searcher) if _passes(d, filters)]
    note = uncovered_note(c, docs)
    if q.listing is not None and note is None:
        listed = _list_answer(searcher, q.listing, c, filters)
        if listed is not None:
            return Ranked(hits, c, None, kind, [], (), listed)
    analyzer = searcher.analysis()
    # The words a sentence that answers holds: the question's own, not those that only say which
    # report it is about (its period, years, the organ of a nämnd it names), checked on the report.
    said = report_words(q.text, c)
    concepts = derived_forms([x for x in q.plan.concepts if x.word.casefold() not in said])
    weights = concept_weights(searcher, concepts)
    # Candidates from the first passages, and from agreeing passages further down when the first
    # ones are about other periods or places.
    first = hits[:TOP_PASSAGES]
    agreeing = [h for h in hits if disagreement(c, h.doc, h.text) is None]
    pool = first + [h for h in agreeing[:TOP_PASSAGES] if h not in first]
    common = COMMON_NAME * searcher.doc_count()

    def ordinary(word: str) -> bool:
        return searcher.doc_frequency("text", word.casefold()) > common

    ranked = candidates(pool, concepts, weights, q, analyzer, ordinary, tuned)
    if kind in TYPED:
        ranked = [x for x in ranked if x.value is not None]
    elif q.goal_status:
        # "Uppfylls målet om …": the goal's own status line answers, not prose about the goal.
        ranked = [x for x in ranked if x.hit.section["kind"] == "goal"] or ranked
    # A question that names something the reports never mention cannot be answered from them; a
    # word the index holds only inflected ("planeringsfas" in "planeringsfasen") or as its parts
    # ("coronavåren": corona, våren) is not unknown.
    # Only the topic words count: a verb or degree word the report puts otherwise ("ombudgeterades"
    # for "ombudgetering", a passive the word list lacks) names nothing that could be missing.
    unknown = tuple(x.word for x in concepts if kind is not None and x.required and not is_passive(x.word)
                    and not known(searcher, x)
                    and not any(_begins(searcher, f) for f in x.forms)
                    and not (x.parts and all(_part_known(searcher, part) for part in x.parts)))
    return Ranked(hits, c, note, kind, [(x, conflict(c, x.text, x.hit)) for x in ranked], unknown,
                  absent=absent_words(searcher, q, ranking) if not any(not h.missing for h in hits) else ())


def absent_words(searcher, q: Question, ranking: Ranking) -> tuple[str, ...]:
    """The question's topic words that no passage of any report holds, as a search counts them
    ("Eurovision": its parts stand in the reports, never together): a withheld reply names them,
    whatever else it says."""
    return tuple(c.word for c in q.plan.concepts
                 if c.required and not searcher.best(concept_query(c, ranking), None, 1))


def _begins(searcher: Engine, form: str) -> bool:
    """Whether a long word begins a longer word the index holds (an inflection)."""
    return len(form) >= MIN_STEM and any(True for _ in searcher.expand_prefix("text", form))


def _part_known(searcher: Engine, part: str) -> bool:
    """A compound's part stands in the index as written or as the start of a word ("bygg" in
    "byggnaden")."""
    return bool(searcher.doc_frequency("text", part)) or len(part) >= MIN_PART_STEM and any(
        True for _ in searcher.expand_prefix("text", part))


def _clears(x: _Candidate, threshold: float) -> bool:
    return x.score >= threshold and x.coverage >= MIN_COVERAGE


def decide(r: Ranked, limit: int, threshold: float = THRESHOLD) -> Reply:
    """The best agreeing candidate when it clears the threshold; otherwise no answer, with a note
    in Swedish saying why and the nearest fact with its source (about another period or place
    when one would have cleared it, else the best candidate that did not)."""
    sources = r.hits[:limit]
    if r.listed is not None:
        return Reply(r.listed, sources)
    best = next((x for x, why in r.scored if why is None), None)
    off = next(((x, why) for x, why in r.scored if why is not None), None)
    if r.unknown:
        return _withheld(r, sources, r.note or f"Rapporterna nämner inte {_join_words(r.unknown)}.", best)
    # When a fact about another period or place matches the question clearly better, the agreeing
    # candidate is most likely a weaker echo of it, not the answer.
    outmatched = off is not None and best is not None and off[0].score > best.score + OUTMATCHED
    if best is not None and _clears(best, threshold) and not outmatched:
        return Reply(_answer(best, r.kind), sources)
    if off is not None and _clears(off[0], threshold) and (best is None or off[0].score > best.score):
        near, why = off
        return _withheld(r, sources, r.note or _conflict_note(r.constraints, why, near), near)
    if best is None:
        what = TYPE_LABELS.get(r.kind)
        note = r.note or (f"Inget stycke anger {what} som frågan gäller." if what and r.scored == []
                          else "Inget stycke i rapporterna svarar på frågan.")
        return _withheld(r, sources, note, off[0] if off else None)
    return _withheld(r, sources, r.note or "Det närmaste stycket svarar inte säkert på frågan; läs det själv.", best)


# What a value question asks for, as a withheld answer's note names it.
TYPE_LABELS = {"amount": "något belopp", "share": "någon andel", "count": "något antal", "date": "någon tidpunkt",
               "name": "något namn"}


def _withheld(r: Ranked, sources: list[Hit], note: str, near: _Candidate | None) -> Reply:
    if r.absent and not r.unknown:
        note = f"Rapporterna nämner inte {_join_words(r.absent)}." + (f" {r.note}" if r.note else "")
    shown = _answer(near, r.kind, about=source_label(near.hit.doc)) if near is not None else None
    return Reply(None, sources, note, shown)


def _join_words(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " eller " + words[-1]


def ask(searcher: Engine, question: str | Question, limit: int = 5, ranking: Ranking = DEFAULT,
        result: SearchResult | None = None, **filters) -> Reply:
    """The answer (or None, with a note and the nearest fact) and the passages it was chosen from
    (`result`: the question's search, when the caller has run it)."""
    return decide(rank(searcher, question, limit, ranking, result=result, **filters), limit)


def _passes(doc: dict, filters: dict) -> bool:
    """Whether a report is inside the filters a user set (year, nämnd, report type, report)."""
    year = doc.get("year")
    if filters.get("year") is not None and year != filters["year"]:
        return False
    if filters.get("year_from") is not None and (year is None or year < filters["year_from"]):
        return False
    if filters.get("year_to") is not None and (year is None or year > filters["year_to"]):
        return False
    return all(not filters.get(k) or doc.get(k) == filters[k] for k in ("namnd", "report_type", "doc_id"))


def _conflict_note(c: Constraints, why: str, near: _Candidate) -> str:
    about = source_label(near.hit.doc)
    if why == "name":
        return f"Det närmaste stycket nämner inte {', '.join(missing_names(c, _source_text(near.hit)))}."
    if why == "months":
        return f"Det närmaste stycket gäller andra månader än frågan ({about})."
    if why == "beyond":
        years = " och ".join(str(y) for y in sorted(c.beyond))
        return f"Rapporterna redovisar inget för {years}; det närmaste stycket gäller {about}."
    return f"Det närmaste stycket gäller {about}, inte det frågan gäller."
