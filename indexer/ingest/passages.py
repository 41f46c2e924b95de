"""Report → passages: the units a person would quote, each with its document and goal context.

A goal is a passage of its own (number, title, status); a long section is cut at paragraph
and sentence boundaries into pieces short enough to read in a result list; passages that
repeat one another word for word inside a report (summaries repeat goal texts) are kept once.
"""

from __future__ import annotations

import re
from collections import Counter

from ..patterns import LEVEL_LABELS, STATUS_LABELS, word_key
from ..records import Goal, GoalRef, Passage, Report, Section
from ..sentences import sentence_pieces, sentences
from .amounts import find_amounts

MAX_CHARS = 700


def goal_path(report: Report, index: int | None) -> list[GoalRef]:
    path: list[GoalRef] = []
    seen: set[int] = set()
    while index is not None and index not in seen:
        seen.add(index)
        g: Goal = report.goals[index]
        path.insert(0, GoalRef(g.level, g.number or g.summary_number, g.title, g.status or g.summary_status))
        index = g.parent
    return path


def goal_text(goal: Goal) -> str:
    number = f"{goal.number} " if goal.number else ""
    status = STATUS_LABELS.get(goal.status or "")
    return f"{LEVEL_LABELS[goal.level]}: {number}{goal.title}" + (f". {status}." if status else "")


def split_text(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Paragraphs grouped up to `limit` characters; a longer paragraph is cut between sentences."""
    pieces: list[str] = []
    for para in text.split("\n\n"):
        if len(para) <= limit:
            pieces.append(para)
            continue
        chunk = ""
        for sentence in sentence_pieces(para):
            if chunk and len(chunk) + len(sentence) + 1 > limit:
                pieces.append(chunk)
                chunk = sentence
            else:
                chunk = f"{chunk} {sentence}".strip()
        if chunk:
            pieces.append(chunk)
    grouped: list[str] = []
    for piece in pieces:
        if grouped and len(grouped[-1]) + len(piece) + 2 <= limit // 2:
            grouped[-1] += "\n\n" + piece  # short paragraphs (list items) travel together
        else:
            grouped.append(piece)
    return [g for g in grouped if g.strip()]


def passages_of(report: Report, doc_id: str, source: str | None = None) -> list[Passage]:
    doc = report.document
    source = source or doc.path
    out: list[Passage] = []
    seen: set[str] = set()
    keys: list[str] = []  # each passage's word key, for near_duplicate_groups

    def add(kind: str, heading: str | None, text: str, goal: int | None, page: int | None,
            lines: tuple[int, int], amounts: list[float], deviation: bool | None = None, context: str = "",
            parents: tuple[str, ...] = ()) -> None:
        key = word_key(text)
        if not key or key in seen:
            return
        seen.add(key)
        keys.append(key)
        path = goal_path(report, goal)
        label = doc.page_labels[page - 1] if page and page <= len(doc.page_labels) else None
        out.append(Passage(
            id=f"{doc_id}-{len(out) + 1}", doc_id=doc_id, source=source, title=doc.title, namnd=doc.namnd,
            organisation=doc.organisation, year=doc.year, report_type=doc.report_type, period=doc.period,
            kind=kind, heading=heading, text=text, goal_path=path, page=page, page_label=label,
            ocr=page in doc.ocr_pages, lines=lines, amounts=amounts, deviation=deviation, order=len(out),
            office=doc.office, context=context,
            about=about_text(path, doc.namnd or doc.organisation, doc.period,
                             tuple(h for h in parents if not said_in(h, text)), doc.office)))

    goal_at_line = {g.line: i for i, g in enumerate(report.goals)}
    activities = {(a.line, a.text): a for a in report.activities}
    pending_goals = sorted(goal_at_line)
    for section in report.sections:
        # Goals enter in document order, just before the first section that follows them.
        while pending_goals and pending_goals[0] <= section.lines[0]:
            i = goal_at_line[pending_goals.pop(0)]
            g = report.goals[i]
            add("goal", g.title, goal_text(g), i, g.page, (g.line or 0, g.line or 0), [])
        deviation = None
        if section.kind == "activity":
            act = activities.get((section.lines[0], section.heading))
            deviation = act.deviation if act else None
        whole = section.kind in ("activity", "indicator", "decision")
        pieces = [section.text] if whole else split_text(section.text)
        if section.columns:
            pieces = [with_columns(piece, section.columns) for piece in pieces]
        offset = 0
        for i, piece in enumerate(pieces):
            # The pieces before and after: what the passage is about, when it does not say it itself.
            context = "\n\n".join(pieces[max(0, i - 1):i + 2]) if len(pieces) > 1 else ""
            own = piece.removeprefix(f"{section.columns}\n\n")
            found = section.text.find(own[:60], offset)
            offset = found if found >= 0 else offset
            add(section.kind, heading_path(section), piece, section.goal, section.page_at(offset),
                section.lines_of(offset, offset + len(own)), [a.mnkr for a in find_amounts(piece)], deviation, context,
                tuple(section.parents))
    for line in pending_goals:
        i = goal_at_line[line]
        g = report.goals[i]
        add("goal", g.title, goal_text(g), i, g.page, (g.line or 0, g.line or 0), [])
    firsts = near_duplicate_groups(out, keys)
    sizes = Counter(firsts)
    for p, first in zip(out, firsts):
        p.group = out[first].id
        p.grouped = sizes[first] > 1
    return out


# Figures of a table row: two numbers in a row ("55,4 47,7", "1 302 1 161").
_ROW_FIGURES = re.compile(r"-?\d[\d ]*,\d+\s+-?\d[\d ]*,\d+|(?:\s-?\d+){3}")


def with_columns(piece: str, columns: str) -> str:
    """A piece holding a table's rows, under the table's column header (as a printed table
    repeats it on each page): "Netto 55,4 47,7 7,7 83,1" says what each figure is."""
    if columns in piece or not _ROW_FIGURES.search(piece):
        return piece
    return f"{columns}\n\n{piece}"


# Between the headings of a heading path, as shown.
HEADING_SEPARATOR = " › "


def heading_path(section: Section) -> str | None:
    """A section's heading with the headings above it ("Deltagande i Earth Hour › Stadens
    medverkan …"): a sub-section's passages say what they are about though their heading does not."""
    if section.heading is None:
        return None
    return HEADING_SEPARATOR.join([*section.parents, section.heading])


# Kinds whose heading only repeats the passage's own first words (goal title, activity, indicator).
SELF_HEADED = ("goal", "activity", "indicator", "decision")


def searched_heading(p: Passage) -> str:
    """The heading searched as a heading: the passage's own, not one it repeats from its text,
    nor the headings above it (those hint at what it is about, like its goals: in `about`). A
    sub-section's piece would otherwise match its parent's words as strongly as the parent."""
    if p.kind in SELF_HEADED or not p.heading:
        return ""
    return p.heading.rsplit(HEADING_SEPARATOR, 1)[-1]


def said_in(heading: str, text: str) -> bool:
    """Whether a text already says every word of a heading ("Klagomål, beröm och idéer" in "… 237
    klagomål, frågor, beröm och idéer …"): the heading above it then adds nothing to what the
    passage is found by, and would only count its words twice."""
    words = set(re.findall(r"\w{4,}", text.lower()))
    return all(w in words for w in re.findall(r"\w{4,}", heading.lower()))


def about_text(path: list[GoalRef], namnd: str | None, period: str | None, parents: tuple[str, ...] = (),
               office: str | None = None) -> str:
    """What a passage is about beyond its own words and heading, as its hit shows it: the goals
    and headings above it, whose report and which period. An indicator row or a piece of a long
    statement rarely names them itself, yet a query for them should find it."""
    parts = [f"{g.number or ''} {g.title}".strip() for g in path] + list(parents)
    parts.extend(x for x in (namnd, office, period) if x)
    return "\n".join(parts)


# Near-identical: this share of the words of each stand in the other, with the same figures, under
# the same goals.
# Containment is not enough (a summary holding a goal's title holds more than the goal).
NEAR_DUPLICATE = 0.9
LONG_SENTENCE = 80


def near_duplicate_groups(passages: list[Passage], keys: list[str]) -> list[int]:
    """For each passage (with its word key), the index of the first passage of its group of
    near-identical ones. Groups are found once, at index time, so search collapses them and still
    counts exactly what a user can page through."""
    words = [set(key.split()) for key in keys]
    places = [tuple((g.number, g.title) for g in p.goal_path) for p in passages]
    figures = [{w for w in ws if not w.isalpha()} for ws in words]  # 20 mnkr and 30 mnkr are two facts
    first = list(range(len(passages)))
    postings: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        for word in ws:
            postings.setdefault(word, []).append(i)
    for i, ws in enumerate(words):
        if not ws or first[i] != i:
            continue
        # A passage sharing 90 % of these words holds at least one of the rarest 10 % (+1).
        rarest = sorted(ws, key=lambda w: len(postings[w]))[:len(ws) - int(NEAR_DUPLICATE * len(ws)) + 1]
        for j in sorted({j for w in rarest for j in postings[w] if j > i}):
            if first[j] == j and places[j] == places[i] and figures[j] == figures[i] and \
                    len(ws & words[j]) >= NEAR_DUPLICATE * max(len(ws), len(words[j])):
                first[j] = i
    # A summary repeating a sentence of a goal's text word for word is that text again. Only a
    # summary joins that way: other texts share boilerplate sentences and stay apart.
    holder: dict[str, int] = {}
    for i, p in enumerate(passages):
        if p.kind != "summary":
            for key in _long_sentences(p.text):
                holder.setdefault(key, first[i])
    for i, p in enumerate(passages):
        if p.kind == "summary" and first[i] == i:
            first[i] = next((holder[k] for k in _long_sentences(p.text) if k in holder), i)
    return first


def _long_sentences(text: str) -> list[str]:
    """Sentences long enough that sharing one word for word is no accident, in the text's order:
    a summary repeating two goals' sentences joins the first's group in every process (a set's
    order changes with each process's string hashing)."""
    return [key for key in (word_key(s) for s in sentences(text)) if len(key) >= LONG_SENTENCE]
