"""Report → passages: long sections cut at paragraph and sentence boundaries."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import CORPUS, REPORTS

from indexer.ingest.passages import split_text


def sentence(n: int) -> str:
    # "t.ex." and "4,5 mnkr" must never be taken for sentence ends.
    return f"Stadsdelsnämnden har t.ex. ökat budgeten för förskolor med 4,5 mnkr under år {2000 + n}."


def test_a_short_text_is_one_piece():
    text = "Förskolorna har fått nya lokaler.\n\nBudgeten är i balans."
    assert split_text(text, limit=700) == [text]


def test_short_paragraphs_travel_together_up_to_half_the_limit():
    paragraphs = [f"• Punkt {i} i listan." for i in range(6)]  # 18 characters each
    pieces = split_text("\n\n".join(paragraphs), limit=100)
    assert pieces == ["\n\n".join(paragraphs[:2]), "\n\n".join(paragraphs[2:4]), "\n\n".join(paragraphs[4:])]


def test_a_long_paragraph_is_cut_between_sentences_and_nothing_is_lost():
    para = " ".join(sentence(n) for n in range(12))
    pieces = split_text(para, limit=300)
    assert len(pieces) > 3
    assert all(len(p) <= 300 for p in pieces)
    assert all(p.startswith("Stadsdelsnämnden har t.ex.") and p.endswith(".") for p in pieces)
    assert " ".join(pieces) == para


def test_paragraph_boundaries_are_kept():
    first, second = "Inledning om året.", " ".join(sentence(n) for n in range(8))
    pieces = split_text(f"{first}\n\n{second}", limit=300)
    assert pieces[0] == first and all(first not in p for p in pieces[1:])


def test_a_sentence_longer_than_the_limit_stays_whole():
    long_sentence = "Nämnden " + " ".join(["arbetar vidare med trygghet"] * 20) + "."
    assert split_text(f"Kort mening. {long_sentence} Ännu en.", limit=200) == [
        "Kort mening.", long_sentence, "Ännu en."]


def test_an_empty_text_gives_no_pieces():
    assert split_text("", limit=700) == [] and split_text("  \n\n ", limit=700) == []


def test_groups_are_the_same_in_every_process():
    # Files are read by several processes, each hashing strings its own way; a report's groups
    # must not depend on which one read it.
    script = ("from indexer.ingest.pipeline import parse_file; from indexer.ingest.passages import passages_of; "
              f"print([p.group for p in passages_of(parse_file({str(CORPUS / REPORTS['004'])!r}), 'r')])")
    groups = {subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed},
                             capture_output=True, text=True, check=True).stdout for seed in ("1", "2", "3")}
    assert len(groups) == 1
