"""Repairs of extraction damage, each a small function over a list of lines.

Line numbers are preserved: a repair moves word pieces between lines or empties a
line, it never renumbers, so every later record can cite the source line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ..patterns import GLYPHS, VALUE_UNITS, normalize_text
from ..records import Line


def strip_margins(lines: list[Line]) -> list[Line]:
    """Blank out whitespace-only lines and strip lost glyphs and leading spaces, remembering
    that the line was indented (a row start or a page start in these exports)."""
    out = []
    for line in lines:
        text = normalize_text(line.text)
        body = text.lstrip(" \t" + GLYPHS)
        indent = (line.indent or len(text) - len(body)) if body.strip() else 0
        out.append(replace(line, text=body.rstrip() if body.strip() else "", indent=indent))
    return out


_PAGE_HEADER = [
    re.compile(r"^Sid(a)?\s+\d+\s*\(\d+\)$"),
    re.compile(r"^Tjänsteutlåtande$"),
    re.compile(r"^Dnr\s+[\w .\-/]+\d{4}/\d+$|^Dnr\s+\d+-\d+/\d{4}$"),
    re.compile(r"^start\.stockholm$"),
]


def drop_page_headers(lines: list[Line]) -> list[Line]:
    """Remove page header blocks (`Tjänsteutlåtande` / `Dnr KS 2020/41` / `Sida 25 (71)`).

    A block is anchored on its `Sida N (M)` line; its companions are removed only
    within a few lines of it, so a `Tjänsteutlåtande` in running text survives.
    """
    drop: set[int] = set()
    for i, line in enumerate(lines):
        if _PAGE_HEADER[0].match(line.text):
            drop.add(i)
            for j in range(max(0, i - 6), min(len(lines), i + 7)):
                if any(p.match(lines[j].text) for p in _PAGE_HEADER[1:]):
                    drop.add(j)
    return [replace(line, text="") if i in drop else line for i, line in enumerate(lines)]


# A table of contents opens with its own title; its entries are headings with a page number
# (after dot leaders, or in a column of their own), never a sentence.
_CONTENTS = re.compile(r"^(?:innehåll|innehållsförteckning)$", re.IGNORECASE)
_LEADERS = re.compile(r"(?:\.\s?){4,}\s*\d+$")
_SENTENCE = re.compile(r"(?:\S+\s+){5,}\S*[a-zåäö)]\.$")


def drop_contents(lines: list[Line]) -> list[Line]:
    """Empty a table of contents: from a line "Innehåll"/"Innehållsförteckning" to the end of its
    page, and the pages after it that hold no sentence (the list goes on). Its entries name
    headings and pages; read as text they would be headings over the report's first pages."""
    starts = [i for i, line in enumerate(lines[:len(lines) // 3 + 1]) if _CONTENTS.match(line.text)]
    if not starts or lines[starts[0]].page is None:
        return lines
    start = starts[0]
    pages: dict[int, list[str]] = {}
    for line in lines[start + 1:]:
        if line.text:
            pages.setdefault(line.page, []).append(line.text)

    def listing(page: int) -> bool:
        return not any(_SENTENCE.search(t) and not _LEADERS.search(t) for t in pages.get(page, []))

    last = lines[start].page
    if not listing(last):
        return lines  # a sentence under it: a heading "Innehåll" over text, not a table of contents
    while last + 1 in pages and listing(last + 1):
        last += 1
    return [replace(line, text="") if i >= start and line.page is not None and line.page <= last else line
            for i, line in enumerate(lines)]


def _next_text(lines: list[Line], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].text:
            return j
    return None


_UNIT_START = re.compile(rf"^({'|'.join(map(re.escape, VALUE_UNITS))})(?!\w)")


def drop_page_numbers(lines: list[Line]) -> list[Line]:
    """Remove lone page numbers that interrupt a sentence (`…37,1 miljoner` / `35` / `kronor …`)."""
    out = list(lines)
    prev: Line | None = None
    for i, line in enumerate(lines):
        if not line.text:
            continue
        if re.fullmatch(r"\d{1,3}", line.text) and prev is not None:
            j = _next_text(lines, i)
            nxt = lines[j].text if j is not None else ""
            if re.search(r"[a-zåäö,]$", prev.text) and re.match(r"[a-zåäö]", nxt) and not _UNIT_START.match(nxt):
                out[i] = replace(line, text="")
                continue
        prev = line
    return out


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


# Table headers whose cells extraction broke into fragments; compared with spaces removed.
_ACTIVITY_HEADER = "AktivitetStartdatumSlutdatumAvvikelse"
ACTIVITY_HEADER = "Aktivitet\tStartdatum\tSlutdatum\tAvvikelse"
INDICATOR_HEADER = "Indikator\t" + "\t".join(
    ["Periodens utfall", "Utfall män/pojkar", "Utfall kvinnor/flickor", "Periodens utfall VB", "Prognos helår",
     "Årsmål", "KF:s årsmål", "Period"]
)
INDICATOR_HEADER_SHORT = "Indikator\t" + "\t".join(
    ["Periodens utfall", "Periodens utfall VB", "Prognos helår", "Årsmål", "KF:s årsmål", "Period"]
)


def merge_table_headers(lines: list[Line]) -> list[Line]:
    """Join table headers exploded into fragments (`Startda` / `tum` / `Slutdat` / `um` …)
    into one tab-separated header line on the first fragment's line."""
    out = list(lines)
    i = 0
    while i < len(lines):
        text = lines[i].text
        if text.startswith(("Aktivitet", "Indikator")) and len(text) < 40:
            is_activity = text.startswith("Aktivitet")
            acc, members = "", []
            for j in range(i, min(len(lines), i + 60)):
                if not lines[j].text:
                    continue
                acc += _compact(lines[j].text)
                members.append(j)
                if is_activity and acc == _ACTIVITY_HEADER:
                    break
                if not is_activity and acc.endswith("Period") and "årsmål" in acc:
                    break
                if is_activity and not _ACTIVITY_HEADER.startswith(acc):
                    members = []
                    break
                if len(acc) > 160:
                    members = []
                    break
            else:
                members = []
            if members and len(members) > 1:
                header = ACTIVITY_HEADER if is_activity else (
                    INDICATOR_HEADER if "män" in acc else INDICATOR_HEADER_SHORT)
                out[members[0]] = replace(lines[members[0]], text=header)
                for j in members[1:]:
                    out[j] = replace(lines[j], text="")
                i = members[-1] + 1
                continue
        i += 1
    return out


_CELL_FRAGMENT = re.compile(r"^\S.{0,18}[A-Za-zÅÄÖåäöé]$")


def join_cell_fragments(lines: list[Line], raw_ends: dict[int, bool]) -> list[Line]:
    """Join cells broken mid-word (`Elanvändn` / `ing per`, `20` / `15`).

    The exports leave a trailing space where a line wraps between words; a short
    line ending in a letter with *no* trailing space, followed by a lower-case
    piece, was cut inside a word.
    """
    out = list(lines)
    for i, line in enumerate(out):
        text = line.text
        if not text or raw_ends.get(line.lineno, True):
            continue
        j = _next_text(out, i)
        if j is None:
            continue
        nxt = out[j].text
        word_cut = _CELL_FRAGMENT.match(text) and re.match(r"[a-zåäö]", nxt) and not re.search(r"\s(och|i|av|på|för)$", text)
        year_cut = re.search(r"(^|\s)(19|20)$", text) and re.match(r"\d\d\b", nxt)
        if word_cut or year_cut:
            head, _, rest = nxt.partition(" ")
            out[i] = replace(line, text=text + head)
            out[j] = replace(out[j], text=rest.strip())
    return out


_CONJUNCTIONS = {"och", "eller", "samt", "respektive", "resp.", "som", "till", "med"}
_HYPHEN_END = re.compile(r"(\S*?)([\wÅÄÖåäöé]+)-$")


def join_hyphenation(lines: list[Line], vocabulary: Counter) -> list[Line]:
    """Repair end-of-line hyphenation by moving the tail word up to the hyphenated line.

    Keeps suspended compounds (`miljö- och`), letter prefixes (`e-arkivet`) and
    hyphenated forms the document itself uses elsewhere (`jobb-modellen`).
    Joins dates split as `2015-` / `01-01`.
    """
    out = list(lines)
    for i, line in enumerate(out):
        text = line.text
        # The pattern is anchored at the end but searched from every start: only lines ending in
        # a hyphen (before a final newline, as `$` allows) are worth searching.
        m = _HYPHEN_END.search(text) if "-" in text[-2:] else None
        if not m:
            continue
        j = _next_text(out, i)
        if j is None:
            continue
        nxt = out[j].text
        tail, _, rest = nxt.partition(" ")
        stem = m.group(2)
        if re.fullmatch(r"\d{4}", stem) and re.match(r"\d\d-\d\d", tail):
            joined = f"{stem}-{tail}"
        elif not re.match(r"[a-zåäö]", tail) or tail.lower() in _CONJUNCTIONS:
            continue
        else:
            word_tail = re.match(r"[\wÅÄÖåäöé]+", tail).group(0)
            closed, hyphened = (stem + word_tail).lower(), f"{stem}-{word_tail}".lower()
            keep = len(stem) == 1 or stem.isupper() or any(c.isdigit() for c in stem) or (
                vocabulary[hyphened] > 0 and vocabulary[closed] == 0)
            joined = f"{stem}-{tail}" if keep else stem + tail
        out[i] = replace(line, text=text[: m.start(2)] + joined)
        out[j] = replace(out[j], text=rest.strip())
    return out


_VOCABULARY_WORD = re.compile(r"[\wÅÄÖåäöé]+(?:-[\wÅÄÖåäöé]+)*")  # hyphenated compounds whole


def vocabulary_of(lines: list[Line]) -> Counter:
    """Word counts of the document (hyphenated compounds counted whole), the evidence for repairs."""
    words: Counter = Counter()
    for line in lines:
        words.update(w.lower() for w in _VOCABULARY_WORD.findall(line.text))
    return words


_GLUED_YEAR = re.compile(r"(\d{4})([A-ZÅÄÖ][a-zåäö]{2,})")
_GLUED_FUNCTION_WORD = re.compile(r"\b(och|till)([a-zåäö]{4,})\b|\b([a-zåäö]{5,})(som|och)\b")


def split_run_together(lines: list[Line], vocabulary: Counter) -> list[Line]:
    """Split words glued by extraction where certain: a year glued to a capitalised word
    (`2020-2023För`), and a function word glued to a word (`ochfamiljeomsorg`,
    `aktivitetersom`) when the glued form occurs once and both parts are words of the document."""

    def function_word(m: re.Match) -> str:
        whole = m.group(0)
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if vocabulary[whole.lower()] <= 1 and vocabulary[a] >= 2 and vocabulary[b] >= 2:
            return f"{a} {b}"
        return whole

    out = []
    for line in lines:
        text = _GLUED_YEAR.sub(r"\1 \2", line.text)
        text = _GLUED_FUNCTION_WORD.sub(function_word, text)
        out.append(replace(line, text=text) if text != line.text else line)
    return out


def clean(lines: list[Line], wrap_spaces: bool = True) -> list[Line]:
    """All repairs in order. Returns lines with the same numbering; emptied lines are ''.

    `wrap_spaces`: the source marks word-boundary wraps with a trailing space (the
    text exports do; PDF lines carry no such signal)."""
    raw_ends = {line.lineno: not wrap_spaces or line.text.endswith((" ", "\t")) for line in lines}
    steps = strip_margins(lines)
    steps = drop_page_headers(steps)
    steps = drop_contents(steps)
    steps = merge_table_headers(steps)
    steps = join_cell_fragments(steps, raw_ends)
    vocabulary = vocabulary_of(steps)
    steps = split_run_together(steps, vocabulary)
    steps = join_hyphenation(steps, vocabulary)
    steps = drop_page_numbers(steps)
    return steps
