"""Across years: the same activity, indicator or goal followed from report to report.

Records come from the reports' structure (`rapportsok parse --json`, kept beside the index).
Items are linked when their normalised texts are nearly identical (rapidfuzz's normalised
edit-distance ratio), which tolerates wrapping, hyphenation and small wording changes but keeps
apart different activities that share a long opening ("Kommunstyrelsen ska i samarbete med
Stockholms Stadshus AB …"). A group holds at most one occurrence per report: two rows of one
report are never the same activity.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

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
    ref: tuple[str, int] = ("", 0)  # the report's id and the item's index in it


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


# The groups an item is compared with are those sharing one of its PICKERS rarest words; a word in
# more groups' keys than COMMON_WORD picks none (it is in nearly everything).
PICKERS = 6
COMMON_WORD = 500


def link(items: list[tuple[str, Occurrence]], threshold: int) -> list[Group]:
    """Greedy linking in report order: each item joins the most alike group it is not yet in, if
    alike enough, else starts a group. The groups compared are those whose key shares one of the
    item's rarer words (all groups where the key has no word in at most COMMON_WORD groups): texts
    90 % alike share most of their words, and comparing each item with every group took 21 s at
    9,282 activities."""
    groups: list[Group] = []
    keys: list[str] = []
    having: defaultdict[str, list[int]] = defaultdict(list)  # word → the groups whose key holds it
    for text, occ in sorted(items, key=lambda it: (it[1].doc["year"] or 0, it[1].doc["id"])):
        key = word_key(text)  # wrapping, hyphenation, punctuation and case do not count
        if not key:
            continue
        words = set(key.split())
        pickers = sorted((having[w] for w in words if len(having[w]) <= COMMON_WORD), key=len)[:PICKERS]
        candidates = sorted(set().union(*pickers)) if pickers else range(len(keys))
        target = None
        for _, _score, i in process.extract(key, {i: keys[i] for i in candidates}, scorer=fuzz.ratio,
                                            score_cutoff=threshold, limit=5):
            if occ.doc["id"] not in groups[i].docs():
                target = groups[i]
                break
        if target is None:
            target = Group(key, text)
            for w in words:
                having[w].append(len(groups))
            groups.append(target)
            keys.append(key)
        target.occurrences.append(occ)
    return groups


KINDS = ("activities", "indicators", "goals")
THRESHOLDS = {"activities": ACTIVITY_MATCH, "indicators": INDICATOR_MATCH, "goals": GOAL_MATCH}


def _items(records: list[dict]) -> dict[str, list[tuple[str, Occurrence]]]:
    """Each kind's items with their texts to match; an occurrence's `ref` is its record and index."""
    out: dict[str, list[tuple[str, Occurrence]]] = {kind: [] for kind in KINDS}
    for record in records:
        doc = _doc_info(record)
        for i, a in enumerate(record.get("activities", [])):
            out["activities"].append((a["text"], Occurrence(doc, a, _goal_of(record, a.get("goal")), (record["id"], i))))
        for i, ind in enumerate(record.get("indicators", [])):
            if ind.get("name"):
                out["indicators"].append((ind["name"], Occurrence(doc, ind, _goal_of(record, ind.get("goal")),
                                                                  (record["id"], i))))
        for i, g in enumerate(record.get("goals", [])):
            # The level is part of the key: a nämndmål is linked only to the same nämndmål in the
            # nämnd's other reports, never to a KF goal worded alike.
            out["goals"].append((f"{g['level']} {g['title']}", Occurrence(doc, g, _goal_of(record, i),
                                                                          (record["id"], i))))
    return out


class History:
    """Activities, indicators and goals of all reports, linked across them: by matching (at index
    time, `write_links`) or from the groups stored then (`read_history`)."""

    def __init__(self, records: list[dict], links: dict | None = None):
        items = _items(records)
        for kind in KINDS:
            if links is None:
                groups = link(items[kind], THRESHOLDS[kind])
            else:
                at = {occ.ref: occ for _, occ in items[kind]}
                groups = [Group(key, label, [at[doc_id, i] for doc_id, i in refs if (doc_id, i) in at])
                          for key, label, refs in links[kind]]
            setattr(self, kind, [g for g in groups if g.occurrences])
        for group in self.goals:
            group.label = group.occurrences[0].item["title"]

    def links(self) -> dict:
        """The groups as stored: each kind's key, label and occurrences by (report id, index)."""
        return {kind: [[g.key, g.label, [list(o.ref) for o in g.occurrences]] for g in getattr(self, kind)]
                for kind in KINDS}


LINKS = "links.jsonl"  # in the records' folder, beside the report list: one line, written at index time


@lru_cache(maxsize=1)
def links_version() -> str:
    """A hash of this module: links stored by other code are linked again (not a rebuild)."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _stored(docs: Path) -> dict | None:
    try:
        links = json.loads((docs / LINKS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return links if isinstance(links, dict) and links.get("version") == links_version() else None


def links_current(docs: Path) -> bool:
    return _stored(docs) is not None


def write_links(docs: Path, records: list[dict]) -> None:
    """Link the reports' items once, at index time, and store the groups beside the records."""
    tmp = docs / f".{LINKS}.tmp"
    links = {"version": links_version(), **History(records).links()}
    tmp.write_text(json.dumps(links, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, docs / LINKS)


def read_history(docs: Path, records: list[dict]) -> History:
    """The groups stored at index time, over the records read; linked here only where none were
    stored by this code or they are of other records (a build stopped between its records and its
    links)."""
    links = _stored(docs)
    held = {r["id"] for r in records if any(r.get(k) for k in KINDS)}
    try:
        if links is not None and {ref[0] for kind in KINDS for _, _, refs in links[kind] for ref in refs} == held:
            return History(records, links)
    except (KeyError, TypeError, ValueError):  # groups of another shape
        pass
    return History(records)


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
