"""Swedish knowledge is data in one module, each entry marked general or report-format."""

from __future__ import annotations

import indexer.swedish as sv


def entries():
    return {name: value for name, value in vars(sv).items() if isinstance(value, (sv.Words, sv.Endings))}


def test_every_entry_says_where_its_truth_comes_from_and_why():
    found = entries()
    assert len(found) >= 20
    for name, entry in found.items():
        assert entry.source in ("general", "report-format"), name
        assert len(entry.why) > 20, name
        items = entry.words if isinstance(entry, sv.Words) else entry.endings
        assert items and all(w == w.lower() and w.strip() == w and w for w in items), name


def test_endings_are_tried_longest_first():
    for entry in entries().values():
        if isinstance(entry, sv.Endings):
            assert [len(e) for e in entry.endings] == sorted((len(e) for e in entry.endings), reverse=True)


def test_the_query_modules_keep_no_word_lists_of_their_own():
    # The word lists live in swedish.py; the query modules import them.
    import indexer.query.plan as plan
    import indexer.query.questions as questions

    for module in (plan, questions):
        own = [name for name, value in vars(module).items()
               if isinstance(value, frozenset) and len(value) > 5 and all(isinstance(w, str) for w in value)
               and not name.startswith("__")]
        # The filler the plan drops is a union of swedish.py's entries; STOPWORDS is the analysis's.
        assert set(own) <= {"_FILLER", "STOPWORDS"}, (module.__name__, own)
