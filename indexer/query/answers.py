"""Answers to Swedish questions: the sentence (or structured row) that answers, its key value,
and the passage it came from — or None when unsure. Offline and explainable:

1. the question's expected answer type from its question words (`questions.answer_type`);
2. the top passages from search (which already prefers the years and nämnder it names);
3. candidate sentences (Punkt, Swedish) from those passages — a goal, an activity or an
   indicator row is a candidate whole, since its status, dates or values are the answer;
4. each candidate scored by how many of the question's words it holds (with the index's
   analysis), how close together they stand, whether it holds a value of the expected type,
   and how well its passage ranked;
5. the best one answers when its score clears a threshold; otherwise the passages are shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..sentences import sentences
from ..store.analysis import lexicon
from .plan import Concept, plan
from .questions import VALUE_PATTERNS, answer_type
from .ranking import DEFAULT, Ranking
from .search import Hit, SearchParams, concept_weights, search

MAX_CHARS = 400
TOP_PASSAGES = 6
WHOLE_KINDS = ("goal", "activity", "indicator", "decision")
# Below these the answer is withheld: a wrong confident answer is worse than none.
THRESHOLD = 0.55
MIN_COVERAGE = 0.4


@dataclass
class Answer:
    text: str
    value: str | None
    type: str | None
    confidence: float
    source: Hit

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "type": self.type, "confidence": round(self.confidence, 3),
                "source": self.source.to_dict()}


@dataclass
class _Candidate:
    text: str
    hit: Hit
    rank: int
    coverage: float
    proximity: float
    value: str | None
    score: float = 0.0


def _tokens_with_positions(text: str, analyzer) -> list[tuple[int, set[str]]]:
    """Each word's position and the index tokens it analyzes to."""
    return [(i, {t.text for t in analyzer(word)}) for i, word in enumerate(re.findall(r"\w+(?:[-,]\w+)*", text))]


def _match(concepts: list[Concept], weights: list[float], text: str, analyzer) -> tuple[float, float, list[int]]:
    """(weighted share of the question's words in the text, how tightly they cluster, their positions).
    Rare words weigh more: a sentence without the one word that makes the question specific
    does not answer it."""
    if not concepts:
        return 0.0, 0.0, []
    words = _tokens_with_positions(text, analyzer)
    positions = []
    found = 0.0
    for c, weight in zip(concepts, weights):
        hits = [i for i, toks in words if c.tokens() & toks]
        if not hits and c.parts:  # a compound's parts, standing apart
            at = [[i for i, toks in words if part in toks] for part in c.parts]
            hits = [min(i for places in at for i in places)] if all(at) else []
        if hits:
            found += weight
            positions.append(hits[0])
    coverage = found / sum(weights)
    if len(positions) < 2:
        return coverage, float(bool(positions)), positions
    span = max(positions) - min(positions) + 1
    return coverage, len(positions) / span, positions


def _is_name(match: re.Match) -> bool:
    """A run of capitalised words naming something: not a common word that starts a sentence or
    a heading (Antal, Stadsledningskontoret …): names are not in the lower-case word list."""
    words = re.findall(r"[\wåäö]+", match.group(0))
    return any(w.lower() not in lexicon() for w in words)


def extract_value(kind: str | None, text: str, near: list[int] | None = None) -> str | None:
    """The part of the text that answers a question of this kind: an amount, a count, a date,
    a status, a reason or names. The match nearest the question's words wins."""
    pattern = VALUE_PATTERNS.get(kind or "")
    if pattern is None:
        return None
    matches = list(pattern.finditer(text))
    if kind == "name":
        matches = [m for m in matches if m.start() > 0 and _is_name(m)]
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


def _word_starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\w+(?:[-,]\w+)*", text)]


def _units(hit: Hit) -> list[str]:
    """What may answer within a passage: the whole row for structured kinds, else sentences and
    pairs of neighbouring sentences (an answer can need the one before)."""
    if hit.section["kind"] in WHOLE_KINDS:
        return [hit.text[:MAX_CHARS]]
    found = sentences(hit.text)
    pairs = [f"{a} {b}" for a, b in zip(found, found[1:]) if len(a) + len(b) < MAX_CHARS]
    return [s for s in found if len(s) <= MAX_CHARS] + pairs


def _numeric_share(text: str) -> float:
    words = text.split()
    return sum(bool(re.fullmatch(r"[-–+]?[\d,. %]+", w)) for w in words) / max(len(words), 1)


def _typed(kind: str | None, value: str | None, hit: Hit, unit: str) -> float:
    """1 when the unit holds what the question asks for, 0 when it does not, ½ for open questions."""
    if kind is None:
        return 0.5
    if kind == "status" and hit.section["kind"] in WHOLE_KINDS:
        return 1.0  # a goal's status, an activity's dates and deviation, an indicator's values
    return 1.0 if value else 0.0


def candidates(hits: list[Hit], concepts: list[Concept], weights: list[float], kind: str | None,
               analyzer) -> list[_Candidate]:
    out = []
    top = hits[0].score if hits and hits[0].score else 1.0
    for rank, hit in enumerate(hits[:TOP_PASSAGES]):
        for unit in _units(hit):
            coverage, proximity, positions = _match(concepts, weights, unit, analyzer)
            if coverage == 0:
                continue
            value = extract_value(kind, unit, positions)
            c = _Candidate(unit, hit, rank, coverage, proximity, value)
            # Two sentences answer only when they hold more than either alone; rows of a money table
            # hold every word of a question about money and say nothing about which cell is meant.
            pair = 0.03 if hit.section["kind"] not in WHOLE_KINDS and len(sentences(unit)) > 1 else 0.0
            table = 0.1 if _numeric_share(unit) > 0.4 else 0.0
            c.score = (0.4 * coverage + 0.1 * proximity + 0.2 * _typed(kind, value, hit, unit)
                       + 0.3 * hit.score / top - pair - table)
            out.append(c)
    return sorted(out, key=lambda c: -c.score)


def ask(searcher, question: str, limit: int = 5, ranking: Ranking = DEFAULT, **filters) -> tuple[Answer | None, list[Hit]]:
    """The answer (or None) and the passages it was chosen from."""
    result = search(searcher, SearchParams(q=question, limit=max(limit, TOP_PASSAGES), **filters), ranking)
    hits = result.ranked()
    if not hits:
        return None, []
    kind = answer_type(question)
    analyzer = searcher.schema["text"].analyzer
    concepts = plan(searcher, question, analyzer).concepts
    weights = concept_weights(searcher, concepts)
    ranked = candidates(hits, concepts, weights, kind, analyzer)
    # Withheld when the answer holds too little of what the question asks about (weighted by
    # rarity), or when a question names something the reports never mention at all.
    unknown = kind is not None and any(max(searcher.doc_frequency("text", f) for f in c.tokens()) == 0
                                       for c in concepts)
    if unknown or not ranked or ranked[0].score < THRESHOLD or ranked[0].coverage < MIN_COVERAGE:
        return None, hits[:limit]
    best = ranked[0]
    if kind in ("amount", "count", "date") and best.value is None:
        # The question wants a figure: a close candidate that holds one, or no answer.
        valued = [c for c in ranked if c.value and c.score >= best.score - 0.1 and c.coverage >= MIN_COVERAGE]
        if not valued:
            return None, hits[:limit]
        best = valued[0]
    return Answer(best.text, best.value, kind, min(1.0, best.score), best.hit), hits[:limit]
