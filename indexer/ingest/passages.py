"""Report → passages: the units a person would quote, each with its document and goal context.

A goal is a passage of its own (number, title, status); a long section is cut at paragraph
and sentence boundaries into pieces short enough to read in a result list; passages that
repeat one another word for word inside a report (summaries repeat goal texts) are kept once.
"""

from __future__ import annotations

from ..patterns import LEVEL_LABELS, STATUS_LABELS, word_key
from ..records import Goal, GoalRef, Passage, Report
from ..sentences import sentence_pieces
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

    def add(kind: str, heading: str | None, text: str, goal: int | None, page: int | None,
            lines: tuple[int, int], amounts: list[float], deviation: bool | None = None, context: str = "") -> None:
        key = word_key(text)
        if not key or key in seen:
            return
        seen.add(key)
        label = doc.page_labels[page - 1] if page and page <= len(doc.page_labels) else None
        out.append(Passage(
            id=f"{doc_id}-{len(out) + 1}", doc_id=doc_id, source=source, title=doc.title, namnd=doc.namnd,
            organisation=doc.organisation, year=doc.year, report_type=doc.report_type, period=doc.period,
            kind=kind, heading=heading, text=text, goal_path=goal_path(report, goal), page=page, page_label=label,
            ocr=page in doc.ocr_pages, lines=lines,
            amounts=amounts, deviation=deviation, order=len(out), context=context))

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
        offset = 0
        for i, piece in enumerate(pieces):
            # The pieces before and after: what the passage is about, when it does not say it itself.
            context = "\n\n".join(pieces[max(0, i - 1):i + 2]) if len(pieces) > 1 else ""
            found = section.text.find(piece[:60], offset)
            offset = found if found >= 0 else offset
            add(section.kind, section.heading, piece, section.goal, section.page_at(offset), section.lines,
                [a.mnkr for a in find_amounts(piece)], deviation, context)
    for line in pending_goals:
        i = goal_at_line[line]
        g = report.goals[i]
        add("goal", g.title, goal_text(g), i, g.page, (g.line or 0, g.line or 0), [])
    return out

