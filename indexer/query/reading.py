"""A query read once per request: what it asks for and what it is about, as one typed
`Question` that search and answers both take, so neither reads the words again.

    question = read_question(searcher, "Hur mycket har nämnden anslagit till parkerna 2020?")
    result = search(searcher, params, question=question)
    reply = ask(searcher, question, result=result)
"""

from __future__ import annotations

from dataclasses import dataclass

from ..store.engine import Engine
from .constraints import Constraints, read_constraints, reports
from .plan import Plan, plan
from .questions import (
    GOAL_QUESTION,
    ListRequest,
    Predicate,
    answer_type,
    asked_noun,
    asks_signer,
    is_question,
    list_request,
    predicates,
)

@dataclass(frozen=True)
class Question:
    text: str
    asks: bool  # a natural-language question, not keywords
    kind: str | None  # the type of answer asked for: amount, share, count, date, status, reason, name
    expected: str | None  # what a passage that answers carries: the answer type, or a signature
    goal_status: bool  # asks for a goal's status, which only the goal's own row states
    plan: Plan  # the words searched for: topic words required, predicate words ranked; years, nämnder;
    # quoted phrases and OCH/ELLER/INTE are read by the structured query parser
    predicates: tuple[Predicate, ...]  # the content verbs a sentence that answers states
    slot: str | None  # the noun a "vilken …" question asks for ("vilken nämnd" → nämnd)
    listing: ListRequest | None  # "Vilka mål uppfylls delvis …": answered from the records in full
    constraints: Constraints  # the period, years, nämnder and names a source must agree with


def read_question(searcher: Engine, text: str) -> Question:
    text = text.strip()  # as search validates it, so search takes the question as read
    p = plan(searcher, text)
    kind = answer_type(text)
    return Question(
        text=text, asks=is_question(text), kind=kind, expected="signature" if asks_signer(text) else kind,
        goal_status=kind == "status" and bool(GOAL_QUESTION.search(text)), plan=p, predicates=predicates(text),
        slot=asked_noun(text) if kind == "name" else None,
        listing=list_request(text), constraints=read_constraints(searcher, text, p.mentioned, reports(searcher)))
