"""Report → passages: long sections cut at paragraph and sentence boundaries."""

from __future__ import annotations

import os
import re
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


# --- the lines a passage cites -------------------------------------------------------------

def _stands_on(passage, file_lines: list[str], columns: set[str]) -> bool:
    """Its first word on its first line (or the line a hyphen wraps it onto) and nine in ten of
    its words on the lines it cites."""
    from indexer.patterns import word_key

    text = re.sub(r"^\d+\. ", "", passage.text)  # a decision's number, which the list prints itself
    for header in columns:  # a table's column header heads the rows, printed once above them
        text = text.removeprefix(f"{header}\n\n")
    words = word_key(text).split()
    first, last = passage.lines

    def said(a: int, b: int) -> set[str]:
        printed = "\n".join(file_lines[a - 1:b])
        printed = re.sub(r"-\s*\n\s*(?=\d)", "-", re.sub(r"-\s*\n\s*(?=[^\W\d])", "", printed))  # wrapped words, dates
        return set(word_key(printed).split())

    return words[0] in said(first, first + 1) and sum(w in said(first, last) for w in words) >= 0.9 * len(words)


def test_each_piece_of_a_section_cites_the_lines_its_text_stands_on(reports):
    from indexer.ingest.passages import passages_of

    key = "003"
    file_lines = (CORPUS / REPORTS[key]).read_text(encoding="utf-8").split("\n")
    passages = passages_of(reports[key], key)
    analyses = [p for p in passages if p.kind == "analysis" and p.goal_path and p.goal_path[-1].number == "1.2.1"]
    # The pieces of one Analys text: each cites its own lines, in order, not the section's first.
    assert len(analyses) >= 5
    assert [p.lines[0] for p in analyses] == sorted(p.lines[0] for p in analyses)
    assert len({p.lines for p in analyses}) == len(analyses)
    columns = {s.columns for s in reports[key].sections if s.columns}
    for p in analyses:
        assert _stands_on(p, file_lines, columns), (p.lines, p.text[:60])
    # A piece far down an economy section: the line saying it is among the lines it cites.
    deficit = next(p for p in passages if "Stadshuset på längre sikt" in p.text)
    said = next(n for n, line in enumerate(file_lines, 1) if "Stadshuset på längre sikt" in line)
    assert deficit.lines[0] <= said <= deficit.lines[1] and deficit.lines[1] - deficit.lines[0] < 5


def test_every_passage_of_the_text_reports_stands_on_the_lines_it_cites(reports):
    from indexer.ingest.passages import passages_of

    held, total = 0, 0
    for key, name in REPORTS.items():
        file_lines = (CORPUS / name).read_text(encoding="utf-8").split("\n")
        columns = {s.columns for s in reports[key].sections if s.columns}
        for p in passages_of(reports[key], key):
            if p.kind != "goal":
                total += 1
                held += _stands_on(p, file_lines, columns)
    # Every kind: prose pieces, activity and indicator rows with their comments, decisions. What
    # falls short is rows whose cells the table reader reordered.
    assert held >= 0.97 * total, (held, total)
