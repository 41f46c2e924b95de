"""Answers: sentences, question types, values, and answers with their source — or none."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexer.query.answers import ask, extract_value
from indexer.query.questions import answer_type, carries
from indexer.sentences import sentences


def test_sentences_keep_swedish_abbreviations_and_paragraphs():
    text = ("Kontoret samordnar bl.a. inköp av skyddsmaterial, t.ex. handskar. Kostnaden blir ca. 20 mnkr "
            "fr.o.m. april.\n\nEn ny paragraf utan punkt")
    assert sentences(text) == ["Kontoret samordnar bl.a. inköp av skyddsmaterial, t.ex. handskar.",
                               "Kostnaden blir ca. 20 mnkr fr.o.m. april.", "En ny paragraf utan punkt"]


@pytest.mark.parametrize("question, kind", [
    ("Hur mycket beviljades i trygghetsmedel?", "amount"),
    ("Hur stort ackumulerat överskott har resultatenheten?", "amount"),
    ("Vad kostar projektet totalt?", "amount"),
    ("Hur många ärenden kom in?", "count"),
    ("När startade aktiviteten?", "date"),
    ("Sedan när pågår aktiviteten?", "date"),
    ("Uppfylls målet om Södermalms parker?", "status"),
    ("Varför avstannade mottagandet?", "reason"),
    ("Vilka stadsdelsnämnder uppmanas?", "name"),
    ("trygghetsmedel 2020", None),
])
def test_answer_types(question, kind):
    assert answer_type(question) == kind


def test_values_are_extracted_nearest_the_question_words():
    text = "Budgeten är 3,0 mnkr. Nämnden begär en utökning av anslaget med 4,0 mnkr för maskiner."
    assert extract_value("amount", text, near=[9, 10, 11]) == "4,0 mnkr"
    assert extract_value("amount", "kostnaden bedöms uppgå till 9,2 mdkr totalt") == "9,2 mdkr"
    assert extract_value("count", "avtal har tecknats med tolv utvalda leverantörer") == "tolv utvalda"
    assert extract_value("date", "Aktiviteten pågår 2017-01-01 – 2020-12-31") == "2017-01-01"
    assert extract_value("status", "1.2.2 Södermalms parker vårdas. Uppfylls delvis.") == "Uppfylls delvis"
    assert extract_value("name", "Samtliga stadsdelsnämnder utom Bromma, Farsta och Hägersten-Älvsjö uppmanas") == \
        "Bromma, Farsta och Hägersten-Älvsjö"
    assert extract_value("name", "Antal färdigställda bostäder ökar.") is None  # a common word, not a name
    assert carries("amount", "26,1 mnkr") and not carries("amount", "inga belopp här")


def test_an_amount_question_is_answered_with_its_source(searcher):
    reply = ask(searcher, "Hur mycket beviljades i trygghetsmedel under första tertialet 2020?")
    answer, sources = reply.answer, reply.sources
    assert answer is not None and answer.type == "amount" and answer.value == "26,1 mnkr"
    assert "trygghetsmedel" in answer.text and len(answer.text) <= 400
    assert answer.source.doc["id"] == "ks-tertialrapport-1-2020" and answer.source.lines
    assert sources and 0 < answer.confidence <= 1


def test_a_status_question_is_answered_from_the_goal(searcher):
    answer = ask(searcher, "Uppfylls målet om Södermalms parker?").answer
    assert answer.value == "Uppfylls delvis" and answer.source.section["kind"] == "goal"
    assert "1.2.2" in answer.text


def test_a_date_question_is_answered_from_the_activity(searcher):
    answer = ask(searcher, "Sedan när pågår aktiviteten där Söderandan gör trygghetsinventeringar?").answer
    assert answer.value == "2017-01-01" and answer.source.section["kind"] == "activity"


@pytest.mark.parametrize("question", [
    "Hur mycket kostade OS i Stockholm 2030?",
    "Vilken färg har kommunstyrelsens ordförandes bil?",
    "När öppnade tunnelbanan till Nacka?",
    "Hur många pingviner finns på Skansen?",
    "Uppfylls målet om fler elbilar i Vaxholm?",
])
def test_questions_the_reports_do_not_answer_get_no_answer(searcher, question):
    assert ask(searcher, question).answer is None


def test_ask_api(client):
    data = client.get("/api/ask?q=Hur+mycket+beviljades+i+trygghetsmedel+under+f%C3%B6rsta+tertialet+2020%3F").get_json()
    assert data["ok"] and data["answer"]["value"] == "26,1 mnkr" and data["answer"]["type"] == "amount"
    assert data["answer"]["source"]["url"].startswith("/dokument/ks-tertialrapport-1-2020#p-")
    assert data["sources"]
    none = client.get("/api/ask?q=Hur+m%C3%A5nga+pingviner+finns+p%C3%A5+Skansen%3F").get_json()
    assert none["ok"] and none["answer"] is None
    bad = client.get("/api/ask?q=")
    assert bad.status_code == 400 and bad.get_json()["ok"] is False


def test_results_page_answer_box(client):
    html = client.get("/sok?q=Uppfylls+m%C3%A5let+om+S%C3%B6dermalms+parker%3F").get_data(as_text=True)
    assert 'class="answer"' in html and "<mark>Uppfylls delvis</mark>" in html and "Källa:" in html
    unsure = client.get("/sok?q=Hur+m%C3%A5nga+pingviner+finns+p%C3%A5+Skansen%3F").get_data(as_text=True)
    assert "Inget säkert svar" in unsure
    keyword = client.get("/sok?q=trygghetsmedel").get_data(as_text=True)
    assert 'class="answer"' not in keyword and "Inget säkert svar" not in keyword


def test_ask_command(corpus_index):
    from indexer.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["ask", "Uppfylls målet om Södermalms parker?", "--index-dir", str(corpus_index)])
    assert result.exit_code == 0 and "Svar: Uppfylls delvis" in result.output and "Källa:" in result.output
    data = json.loads(runner.invoke(main, ["ask", "Vilken färg har kommunstyrelsens ordförandes bil?", "--json",
                                          "--index-dir", str(corpus_index)]).output)
    assert data["answer"] is None and data["sources"]


def test_prose_answers_before_money_table_rows(searcher):
    answer = ask(searcher, "Hur stort nettounderskott prognostiserar kommunstyrelsen 2020?").answer
    assert answer.value == "-7,0 mnkr" and answer.source.doc["namnd"] == "Kommunstyrelsen"
