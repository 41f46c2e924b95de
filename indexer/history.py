"""Across years: the same activity, indicator or goal followed from report to report.

Records come from the reports' structure (`rapportsok parse --json`, kept beside the index).
Items are linked when their normalised texts are nearly identical (rapidfuzz's normalised
edit-distance ratio), which tolerates wrapping, hyphenation and small wording changes but keeps
apart different activities that share a long opening ("Kommunstyrelsen ska i samarbete med
Stockholms Stadshus AB …"). A group holds at most one occurrence per report: two rows of one
report are never the same activity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .patterns import word_key

# How alike two normalised texts must be (0–100) to be one item.
ACTIVITY_MATCH = 90
INDICATOR_MATCH = 92
GOAL_MATCH = 90


@dataclass
class Occurrence:
    doc: dict  # id, title, namnd, year, period
    item: dict  # the activity, indicator or goal as the report has it
    goal: dict | None = None  # the goal it sits under (number, title, status)


@dataclass
class Group:
    key: str  # the normalised text of the first occurrence
    label: str  # its text as printed
    occurrences: list[Occurrence] = field(default_factory=list)

    def docs(self) -> set[str]:
        return {o.doc["id"] for o in self.occurrences}


def _doc_info(record: dict) -> dict:
    d = record["document"]
    return {"id": record["id"], "title": d.get("title"), "namnd": d.get("namnd") or d.get("organisation"),
            "year": d.get("year"), "period": d.get("period")}


def _goal_of(record: dict, index: int | None) -> dict | None:
    if index is None or not 0 <= index < len(record["goals"]):
        return None
    g = record["goals"][index]
    return {"level": g["level"], "number": g.get("number") or g.get("summary_number"), "title": g["title"],
            "status": g.get("status") or g.get("summary_status")}


def link(items: list[tuple[str, Occurrence]], threshold: int) -> list[Group]:
    """Greedy linking in report order: each item joins the most alike group it is not yet in, if
    alike enough, else starts a group."""
    groups: list[Group] = []
    keys: list[str] = []
    for text, occ in sorted(items, key=lambda it: (it[1].doc["year"] or 0, it[1].doc["id"])):
        key = word_key(text)  # wrapping, hyphenation, punctuation and case do not count
        if not key:
            continue
        target = None
        for _, _score, i in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=threshold, limit=5):
            if occ.doc["id"] not in groups[i].docs():
                target = groups[i]
                break
        if target is None:
            target = Group(key, text)
            groups.append(target)
            keys.append(key)
        target.occurrences.append(occ)
    return groups


class History:
    """Activities, indicators and goals of all reports, linked across them."""

    def __init__(self, records: list[dict]):
        acts, inds, goals = [], [], []
        for record in records:
            doc = _doc_info(record)
            for a in record.get("activities", []):
                acts.append((a["text"], Occurrence(doc, a, _goal_of(record, a.get("goal")))))
            for ind in record.get("indicators", []):
                if ind.get("name"):
                    inds.append((ind["name"], Occurrence(doc, ind, _goal_of(record, ind.get("goal")))))
            for i, g in enumerate(record.get("goals", [])):
                # The level is part of the key: a nämndmål is linked only to the same nämndmål in the
                # nämnd's other reports, never to a KF goal worded alike.
                goals.append((f"{g['level']} {g['title']}", Occurrence(doc, g, _goal_of(record, i))))
        self.activities = link(acts, ACTIVITY_MATCH)
        self.indicators = link(inds, INDICATOR_MATCH)
        self.goals = link(goals, GOAL_MATCH)
        for group in self.goals:
            group.label = group.occurrences[0].item["title"]


def matches(group: Group, q: str | None) -> bool:
    """All words of the query start a word of the item (förskol finds förskolan)."""
    if not q:
        return True
    words = word_key(q).split()
    text = " ".join(word_key(o.item.get("text") or o.item.get("name") or o.item.get("title") or "")
                    for o in group.occurrences).split()
    return all(any(t.startswith(w) for t in text) for w in words)


def select(groups: list[Group], q: str | None = None, namnd: str | None = None, year: int | None = None,
           deviation: bool | None = None) -> list[Group]:
    """Groups whose item matches the query, with only the occurrences that pass the filters;
    groups seen in several reports first."""
    out = []
    for group in groups:
        if not matches(group, q):
            continue
        occs = [o for o in group.occurrences
                if (namnd is None or o.doc["namnd"] == namnd) and (year is None or o.doc["year"] == year)
                and (deviation is None or bool(o.item.get("deviation")) == deviation)]
        if occs:
            out.append(Group(group.key, group.label, occs))
    return sorted(out, key=lambda g: (-len(g.occurrences), g.label))
