"""The question's predicate: its content verb must be what the answering sentence states, and
"vilken X" / "vem skrev" questions are answered by a thing of the kind asked about."""

from __future__ import annotations

import pytest

from indexer.query.answers import ANSWER_WEIGHTS, SIGNATURE, ask, decide, extract_value, rank, states
from indexer.query.questions import Predicate, answer_type, asked_noun, predicates


@pytest.mark.parametrize("question, verbs", [
    ("Hur många enheter tilldelades stadens kvalitetsutmärkelse 2020?", [("tilldela", None)]),
    ("Hur mycket vill Södermalm utöka investeringsanslaget?", [("utöka", None)]),
    ("Hur mycket beviljade trygghetsutskottet?", [("bevilja", None)]),
    ("Vem skrev förordet?", [("skriva", None)]),
    # A light verb counts only with its particle: "tar … över" is "överta".
    ("Vilket ansvarsområde tar kommunstyrelsen över från äldrenämnden?", [("ta", "över")]),
    ("Hur mycket har kommunstyrelsen fått?", []),
    # Participles before their noun and nouns of a verb's stem are not the predicate.
    ("Vad väntas stadens samordnade inköp av skyddsutrustning kosta?", [("kosta", None)]),
    ("Vilken justerad budget har den politiska organisationen?", []),
    ("Hur många flickor fick frågan?", []),
])
def test_the_questions_content_verbs(question, verbs):
    assert [(p.verb, p.particle) for p in predicates(question)] == verbs


def test_a_verb_is_stated_by_its_forms_and_the_nouns_made_from_it(searcher):
    analyzer = searcher.schema["text"].analyzer
    assert states((Predicate("utöka"),), "Nämnden begär en utökning av anslaget med 4,0 mnkr.", analyzer)
    assert states((Predicate("kosta"),), "Den totala kostnaden beräknas uppgå till 20 mnkr.", analyzer)
    assert states((Predicate("släcka"),), "Preliminärt släcks ljuset i följande byggnader.", analyzer)
    assert states((Predicate("ta", "över"),), "Kommunstyrelsen ska överta ansvaret för Äldrevänlig stad.", analyzer)
    assert not states((Predicate("ta", "över"),), "Kommunstyrelsen ska ta fram riktlinjer.", analyzer)
    assert not states((Predicate("tilldela"),), "I år har 40 enheter föranmält sitt intresse att delta.", analyzer)
    assert states((), "Vad som helst.", analyzer)  # no content verb: nothing to check


def test_a_sentence_about_something_else_the_same_things_did_is_not_the_answer(searcher):
    question = "Hur många enheter tilldelades stadens kvalitetsutmärkelse 2020?"
    assert ask(searcher, question).answer is None
    # Without the predicate check, "40 enheter föranmält sitt intresse" would answer it.
    unchecked = decide(rank(searcher, question, 1, tuned=ANSWER_WEIGHTS.without("unstated")), 1)
    assert unchecked.answer is not None and "föranmält" in unchecked.answer.text


def test_the_sentence_stating_the_verb_answers(searcher):
    answer = ask(searcher, "Hur mycket väntas intäkterna från upplåtelserna i Stadshuset minska 2020?").answer
    assert answer is not None and answer.value == "13,2 mnkr"
    taken = ask(searcher, "Vilket ansvar tar kommunstyrelsen över från äldrenämnden 2020?").answer
    assert taken is not None and "Äldrevänlig stad" in taken.text


def test_vilken_x_is_answered_by_a_compound_with_x_as_its_head(searcher):
    assert asked_noun("Från vilken förvaltning flyttades ombudsmannen?") == "förvaltning"
    assert answer_type("Från vilken förvaltning flyttades ombudsmannen?") == "name"
    text = "Överförmyndarnämnden uppmanas att komplettera sin riskanalys; valnämnden undantas."
    assert extract_value("name", text, [1], "Vilken nämnd måste komplettera sin riskanalys?") == "Överförmyndarnämnden"
    # Not one the question names itself, nor a capitalised word that is no compound of the noun.
    assert extract_value("name", "Valnämnden och Kulturnämnden", [0], "Vilken nämnd utom valnämnden?") == "Kulturnämnden"
    answer = ask(searcher, "Vilken nämnd uppmanas komplettera sin väsentlighets- och riskanalys 2021?").answer
    assert answer is not None and answer.value == "Överförmyndarnämnden"
    moved = ask(searcher, "Från vilken förvaltning flyttades funktionshinderombudsmannen 2015?").answer
    assert moved is not None and moved.value == "socialförvaltningen"


def test_who_wrote_a_text_is_the_name_signed_under_it(searcher):
    assert SIGNATURE.fullmatch("Bosse Sundling") and SIGNATURE.fullmatch("KARIN WANNGÅRD")
    assert SIGNATURE.fullmatch("Magdalena Bosson, stadsdirektör.").group(1) == "Magdalena Bosson"
    assert not SIGNATURE.fullmatch("Bosse Sundling kom till kontoret.")
    answer = ask(searcher, "Vem skrev förvaltningschefens förord 2006?").answer
    assert answer is not None and answer.value == "Bosse Sundling"
