"""Infer a report's identity from its text: title, nämnd, year, report type, period, Dnr, date."""

from __future__ import annotations

import re
from collections import Counter

from ..patterns import MONTHS
from ..records import Document, Line

_REPORT = r"Tertialrapport\s*\d|Delårsrapport|Verksamhetsberättelse|Årsredovisning|Årsrapport|Avstämning av mål och budget"
_TITLE = re.compile(rf"^(?:\d+\.\s+)?((?:[A-ZÅÄÖ][a-zåäö]+s\s+)?(?:{_REPORT}).*)$", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(MONTHS, start=1)}
_DATE = re.compile(r"Stockholm den (\d{1,2}) (" + "|".join(_MONTHS) + r") ((?:19|20)\d\d)", re.IGNORECASE)
_DNR = re.compile(r"\b(?:Dnr|Diarienummer):?\s+((?:[A-ZÅÄÖ]{1,5}\s+)?\d{4}/\d+(?:[:\-/]\d+)*|\d+-\d+/\d{4}|[A-ZÅÄÖ]{1,3}\s+\d{4}:\d+\S*)")
_PAGES = re.compile(r"^Sid(?:a)?\s+\d+\s*\((\d+)\)$")
_DECIDER = re.compile(r"(?:föreslår (?:att )?|^)([A-ZÅÄÖa-zåäö-]+(?:nämnd(?:en)?|styrelsen)) beslut(?:ar|a) följande",
                      re.IGNORECASE)
_FOR_ORGAN = re.compile(r"\bför ((?:[A-ZÅÄÖ][a-zåäö-]+s )?[a-zåäöA-ZÅÄÖ-]*(?:nämnd(?:en)?|styrelsen))\b")
_PLACE = re.compile(r"\b([A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)*)s (?:stadsdelsområde|stadsdelsnämnd|budget)\b"
                    r"|\blokalpolisområde ([A-ZÅÄÖ][a-zåäö]+)")
# The office that writes the report for its nämnd, as the report names it: "Stadsledningskontorets
# förslag till beslut", "Ärendet har beretts av stadsledningskontoret".
_OFFICE = re.compile(r"^\s*([A-ZÅÄÖ][a-zåäö]*(?:kontor|förvaltning))(?:ets|ens) (?:förslag till beslut|tjänsteutlåtande)"
                     r"|Ärendet har (?:beretts|initierats|handlagts) av ([a-zåäö]*(?:kontor|förvaltning))(?:et|en)\b",
                     re.MULTILINE)
_TERTIAL = re.compile(r"\bTertial\s*([123])\s+((?:19|20)\d\d)\b")
_TERTIAL_REPORT = re.compile(r"\btertialrapport\s*([123])\b", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# Signals of a City of Stockholm follow-up report, with how often each must occur.
_STOCKHOLM = [(re.compile(r"KF:s (inriktningsmål|mål för verksamhetsområdet)"), 1),
              (re.compile(r"stadsledningskontor", re.IGNORECASE), 1),
              (re.compile(r"kommunstyrelsen", re.IGNORECASE), 2),
              (re.compile(r"stadsdelsnämnd", re.IGNORECASE), 3),
              (re.compile(r"Stockholms stad\b"), 5)]
_ORGANISATION = [
    re.compile(r"\b([A-ZÅÄÖ][a-zåäö]+)s\s+årsredovisning\b", re.IGNORECASE),
    re.compile(r"\bårsredovisning för ([A-ZÅÄÖ][\wåäö]+)", re.IGNORECASE),
    re.compile(r"^Produktion:\s*([A-ZÅÄÖ][\wåäö]+)"),
]


def _organ(name: str) -> str:
    name = re.sub(r"nämnden$", "nämnd", name.strip())
    return name[0].upper() + name[1:]


def _title(lines: list[str]) -> str | None:
    for i, text in enumerate(lines[:60]):
        m = _TITLE.match(text)
        if m and len(m.group(1)) < 160:
            title = m.group(1)
            # Continue onto a wrapped line ("… för Kommunfullmäktige" / "m.m.").
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            wraps = re.match(r"^[a-zåäö]", nxt) or re.search(r"\s(för|och|i|av|med|per)$", title)
            if wraps and len(nxt) < 40 and not re.match(r"^(www\.|https?:)", nxt):
                title += " " + nxt
            title = re.sub(r",.*$", "", title) if title.lower().startswith("avstämning") else title
            return re.sub(r"(?<!m\.m)\.$", "", title.strip())
    return None


def infer(lines: list[Line], raw: list[Line], source: str, pages: int | None, path: str = "") -> Document:
    texts = [line.text for line in lines if line.text]
    full = "\n".join(texts)
    title = _title(texts)
    stockholm = any(len(pattern.findall(full)) >= times for pattern, times in _STOCKHOLM)

    report_type = None
    if title and (m := re.search(_REPORT, title, re.IGNORECASE)):
        report_type = re.sub(r"\s+", " ", m.group(0))
    tertials = Counter(_TERTIAL.findall(full))
    if report_type is None and tertials:
        report_type = f"Tertialrapport {tertials.most_common(1)[0][0][0]}"
    if report_type is None and (m := _TERTIAL_REPORT.search(full)):
        report_type = f"Tertialrapport {m.group(1)}"
    if report_type:
        report_type = report_type[0].upper() + report_type[1:]

    year = None
    if title and (m := _YEAR.search(title)):
        year = int(m.group(1))
    elif tertials:
        year = int(tertials.most_common(1)[0][0][1])
    elif first := _YEAR.search("\n".join(texts[:40])):
        year = int(first.group(1))

    period = None
    if report_type and (m := re.match(r"Tertialrapport (\d)", report_type)) and year:
        period = f"Tertial {m.group(1)} {year}"
    elif year:
        period = str(year)

    namnd = None
    organisation = None
    if stockholm:
        namnd = _namnd(texts, title, full)
    else:
        head = texts[:80]
        for pattern in _ORGANISATION:
            if m := next((pattern.search(t) for t in head if pattern.search(t)), None):
                organisation = _organ(m.group(1))
                break
        if organisation is None and head and re.fullmatch(r"[A-ZÅÄÖ][a-zåäö]+", head[0]):
            organisation = head[0]

    office = _office(full, namnd) if stockholm else None
    raw_texts = [line.text.strip() for line in raw]
    dnr = next((m.group(1) for t in raw_texts if (m := _DNR.search(t))), None)
    date = None
    if m := _DATE.search(full):
        date = f"{m.group(3)}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    if pages is None:
        totals = [int(m.group(1)) for t in raw_texts if (m := _PAGES.match(t))]
        pages = max(totals) if totals else None
    if title is None and report_type and year:
        title = f"{report_type} {year}" + (f" för {namnd.lower() if namnd == 'Kommunstyrelsen' else namnd}" if namnd else "")
    return Document(title=title, namnd=namnd, office=office, year=year, report_type=report_type, period=period,
                    dnr=dnr, date=date, pages=pages, organisation=organisation or ("Stockholms stad" if stockholm else None),
                    kind="stockholm" if stockholm else "generic", source=source, path=path)


def _office(full: str, namnd: str | None) -> str | None:
    """The office that wrote the report, as it names itself; a stadsdelsnämnd's is its
    stadsdelsförvaltning, which its reports call "förvaltningen"."""
    if m := _OFFICE.search(full):
        stem = m.group(1) or m.group(2)
        return stem[0].upper() + stem[1:] + ("et" if stem.endswith("kontor") else "en")
    if namnd and namnd.endswith(" stadsdelsnämnd"):
        return namnd.removesuffix("stadsdelsnämnd") + "stadsdelsförvaltning"
    return None


def _namnd(texts: list[str], title: str | None, full: str) -> str | None:
    """The nämnd the report is for: the one that decides on it, the addressee, the title, or the
    stadsdel the text keeps naming."""
    for text in texts[:120]:
        if m := _DECIDER.search(text):
            return _organ(m.group(1))
    for prev, text in zip(texts[:30], texts[1:30]):
        if prev == "Till" and re.search(r"(nämnd|styrelsen)$", text):
            return _organ(text)
    if title and (m := _FOR_ORGAN.search(title)):
        return _organ(m.group(1))
    if re.search(r"^Stadsledningskontorets (förslag till beslut|tjänsteutlåtande)", full, re.MULTILINE):
        return "Kommunstyrelsen"
    places = Counter(a or b for a, b in _PLACE.findall(full))
    if places:
        return f"{places.most_common(1)[0][0]}s stadsdelsnämnd"
    return None
