"""Ground truth for the five bundled reports (from shared/docs/report-structure.md)."""

from __future__ import annotations

from collections import Counter

import pytest


def levels(report):
    return Counter(g.level for g in report.goals)


def statuses(report):
    return Counter(g.status for g in report.goals if g.status)


@pytest.mark.parametrize("key, namnd, year, report_type, period, dnr, date", [
    ("000", "Kommunstyrelsen", 2015, "Tertialrapport 2", "Tertial 2 2015", "181-1400/2015", "2015-09-24"),
    ("001", "Kommunstyrelsen", 2006, "Tertialrapport 2", "Tertial 2 2006", "113-3668/2006", "2006-12-06"),
    ("002", "Kommunstyrelsen", 2021, "Avstämning av mål och budget", "2021", "KS 2020/41", None),
    ("003", "Kommunstyrelsen", 2020, "Tertialrapport 1", "Tertial 1 2020", None, None),
    ("004", "Södermalms stadsdelsnämnd", 2020, "Tertialrapport 1", "Tertial 1 2020", None, None),
])
def test_metadata(reports, key, namnd, year, report_type, period, dnr, date):
    doc = reports[key].document
    assert (doc.namnd, doc.year, doc.report_type, doc.period, doc.dnr, doc.date) == (
        namnd, year, report_type, period, dnr, date)
    assert doc.kind == "stockholm"


def test_titles(reports):
    assert reports["000"].document.title == "Tertialrapport 2 2015 för kommunstyrelsen"
    # The hyphenated, wrapped title is joined, and its budget area kept.
    assert reports["001"].document.title == (
        "Tertialrapport 2 och delårsrapport per 2006-08-31 för Kommunfullmäktige m.m.")
    assert reports["002"].document.title == "Avstämning av mål och budget för 2021"
    assert reports["003"].document.title == "Tertialrapport 1 2020 för kommunstyrelsen"
    # 004 has no cover page: the title is made from what was inferred.
    assert reports["004"].document.title == "Tertialrapport 1 2020 för Södermalms stadsdelsnämnd"


def test_page_counts_from_page_headers(reports):
    assert reports["002"].document.pages == 71  # "Sida 25 (71)"
    assert reports["004"].document.pages == 72  # "Sid 5 (72)"


def test_000_goals(reports):
    r = reports["000"]
    assert levels(r) == {"inriktningsmal": 4, "verksamhetsmal": 21, "namndmal": 21}
    assert statuses(r) == {"helt": 23, "delvis": 19}
    kf = [g for g in r.goals if g.level == "verksamhetsmal"]
    assert sum(g.status == "helt" for g in kf) == 9 and sum(g.status == "delvis" for g in kf) == 12
    # Numbering has gaps: KS reports only the goals it contributes to.
    numbers = [g.number for g in kf]
    assert "1.7" not in numbers and numbers.index("1.8") == numbers.index("1.6") + 1
    # Nämndmål are unnumbered and repeat under several KF goals.
    namndmal = [g for g in r.goals if g.level == "namndmal"]
    assert all(g.number is None for g in namndmal)
    assert sum(g.title == "Stockholms barn och unga har de bästa förutsättningarna för en bra start i livet"
               for g in namndmal) == 3
    # 4.3 wraps over three lines and is read whole.
    g43 = next(g for g in kf if g.number == "4.3")
    assert g43.line == 3761 and len(g43.title) > 60
    g44 = next(g for g in kf if g.number == "4.4")
    assert g44.title == "Stockholm är en stad där ingen behöver vara rädd för våld" and g44.status == "delvis"


def test_goal_parents(reports):
    for r in reports.values():
        for g in r.goals:
            if g.level == "inriktningsmal":
                assert g.parent is None
            elif g.parent is not None:
                parent = r.goals[g.parent]
                assert {"verksamhetsmal": "inriktningsmal", "namndmal": "verksamhetsmal"}[g.level] == parent.level
    kf11 = next(g for g in reports["003"].goals if g.number == "1.1")
    assert reports["003"].goals[kf11.parent].number == "1"
    g111 = next(g for g in reports["003"].goals if g.number == "1.1.1")
    assert reports["003"].goals[g111.parent] is kf11


def test_000_activities(reports):
    acts = reports["000"].activities
    assert 78 <= len(acts) <= 86
    assert all(a.start == "2015-01-01" for a in acts)
    ends = Counter(a.end for a in acts)
    assert ends["2015-06-30"] == 3 and ends["2015-12-15"] == 1
    # The tail of the text comes after the dates; dates split over lines are joined.
    assert any(a.text.endswith("socioekonomisk fördelningsnyckel för förskolan") for a in acts)
    # The only textual deviation, with its Analys comment.
    dev = [a for a in acts if a.deviation]
    assert len(dev) == 1 and dev[0].text.startswith("Arbetsmarknadsnämnden") and dev[0].comment
    assert any(a.comment == "Utredningen har avstannat." for a in acts)
    # The interleaved row: years, a page number, the text, then month-days.
    row = next(a for a in acts if a.end == "2015-12-15")
    assert "upphandlingspolicy" in row.text and "32" not in row.text.split()


def test_001_2006_layout(reports):
    r = reports["001"]
    assert r.goals == [] and r.activities == [] and r.indicators == []
    assert [d.number for d in r.decisions] == [1, 2, 3]
    assert "36,3 mnkr" in r.decisions[1].text and "40,2" in r.decisions[1].text
    assert r.decisions[0].text.startswith("Tertialrapport 2 och delårsrapport per 2006-08-31 för Kommunfullmäktige")


def test_002_decisions_and_goals(reports):
    r = reports["002"]
    assert [d.number for d in r.decisions] == list(range(1, 18))
    assert "167,4 mnkr" in r.decisions[1].text and "medelsreserv" in r.decisions[1].text
    assert r.decisions[16].text == "Övriga framställningar från nämnderna avslås."
    # Goal sections are unnumbered in the body; the summary table gives number and assessment.
    assert levels(r) == {"inriktningsmal": 3, "verksamhetsmal": 12}
    assert all(g.number is None and g.status is None for g in r.goals)
    assert [g.summary_number for g in r.goals][:3] == ["1", "1.1", "1.2"]
    assert all(g.summary_status == "helt" for g in r.goals)
    assert r.goals[0].title == "En modern storstad med möjligheter och valfrihet för alla"
    assert r.activities == []


def test_003_goals_and_activities(reports):
    r = reports["003"]
    assert levels(r)["verksamhetsmal"] == 12 and levels(r)["namndmal"] == 22
    assert statuses(r) == {"helt": 34}
    assert len(r.activities) == 82
    dev = [a for a in r.activities if a.deviation]
    assert [a.line for a in dev] == [160, 162, 171, 711]
    assert all(a.comment for a in dev)
    assert "krigsorganisation" in dev[0].comment
    # A row split by a repeated header is joined.
    split = next(a for a in r.activities if a.line == 587)
    assert split.text.endswith("främst inriktad på skyfall och värmeböljor.")
    # Analysis text displaced behind a repeated header still reaches its activity.
    assert r.activities[1].comment.startswith("Under rådande pandemi")
    assert [d.number for d in r.decisions] == [1, 2]


def test_003_indicators(reports):
    inds = {i.name: i for i in reports["003"].indicators}
    feriejobb = inds["Antal ungdomar som fått feriejobb i stadens regi"]
    assert feriejobb.period == "Tertial 1 2020"
    assert feriejobb.kf_target == "9 000 st" and feriejobb.numbers["kf_target"] == 9000
    assert feriejobb.comment.startswith("Enligt definitionen")
    sjuk = inds["Sjukfrånvaro"]
    assert (sjuk.outcome, sjuk.outcome_men, sjuk.outcome_women) == ("2,5 %", "1,8 %", "2,8 %")
    assert sjuk.numbers["outcome"] == 2.5


def test_004_goals_and_activities(reports):
    r = reports["004"]
    assert levels(r)["verksamhetsmal"] == 12 and levels(r)["namndmal"] == 27
    assert statuses(r) == {"helt": 37, "delvis": 2}
    delvis = [g for g in r.goals if g.status == "delvis"]
    assert {g.number for g in delvis} == {"1.2.2", "3.2"}
    assert next(g for g in delvis if g.number == "1.2.2").title == "Södermalms parker vårdas, bevaras och utvecklas"
    # Numbering with and without a trailing dot reads the same.
    assert {"1.1", "1.2", "1.1.1", "1.3.1", "2.2.1"} <= {g.number for g in r.goals}
    kf11 = next(g for g in r.goals if g.number == "1.1")
    assert kf11.title.endswith("vägen till arbete och svenskkunskaper är kort")
    assert 118 <= len(r.activities) <= 126
    assert not any(a.deviation for a in r.activities)
    starts = Counter(a.start for a in r.activities)
    assert (starts["2017-01-01"], starts["2018-01-01"], starts["2019-01-01"], starts["2020-04-01"]) == (4, 4, 18, 2)
    assert r.decisions == []
    # A row split by a repeated header keeps its tail.
    mural = [a for a in r.activities if "muralmålningar" in a.text]
    assert len(mural) == 1
    assert "strategi för gatukonst och muralmålningar i stadsmiljön genom" in mural[0].text
    assert mural[0].text.startswith("Kulturnämnden") and mural[0].text.endswith("tillståndshantering.")


def test_004_indicator_with_wrapped_name(reports):
    inds = [i for i in reports["004"].indicators if i.name == "Antal ungdomar som fått feriejobb i stadens regi"]
    assert inds and inds[0].period == "Tertial 1 2020"
    assert inds[0].values[-1] == "9 000 st"
    assert "680 till 635" in inds[0].comment


def test_sections(reports):
    kinds = {key: Counter(s.kind for s in r.sections) for key, r in reports.items()}
    assert kinds["003"]["expected_result"] == 22 and kinds["004"]["description"] == 27
    assert kinds["004"]["expected_result"] == 27
    for key in ("000", "001", "002", "003", "004"):
        assert kinds[key]["economy"] > 0
        assert kinds[key]["decision"] == len(reports[key].decisions)
    # Every section cites its lines in order.
    for r in reports.values():
        for s in r.sections:
            assert 0 < s.lines[0] <= s.lines[1]
            assert s.text.strip()


def test_analysis_sections_carry_their_goal(reports):
    r = reports["003"]
    analysis = [s for s in r.sections if s.kind == "analysis" and s.goal is not None]
    assert analysis
    kf12 = next(i for i, g in enumerate(r.goals) if g.number == "1.2")
    text = " ".join(s.text for s in analysis if s.goal == kf12)
    assert "trygghetsmätning" in text


def test_page_number_inside_sentence_is_dropped(reports):
    text = " ".join(s.text for s in reports["000"].sections)
    assert "minskat med 37,1 miljoner kronor jämfört" in text


def test_economy_amounts(reports):
    r = reports["003"]
    economy = " ".join(s.text for s in r.sections if s.kind == "economy")
    assert "nettounderskott om -7,0 mnkr" in economy
    amounts = [a for s in r.sections for a in s.amounts]
    assert any(a.mnkr == -7.0 for a in amounts)
    trygghet = next(s for s in r.sections if "26,1 mnkr" in s.text)
    assert any(a.mnkr == 26.1 for a in trygghet.amounts)
