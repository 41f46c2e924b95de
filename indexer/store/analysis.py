"""The Swedish analyzer: a Whoosh chain of small filters.

    SwedishTokenizer | LowercaseFilter | NumberFilter | StopFilter | CompoundFilter | LemmaFilter

- numbers stay whole: "12,5", "1 234,5" (→ "1234,5"), dates "2020-04-30";
- the Swedish stop list minus the words that carry status or negation;
- compounds get their parts as extra tokens at the same position (trygghets|medel), found in
  the Swedish Hunspell word list with linking -s-/-e- handled;
- a lemmatizer (simplemma) joins the forms users mix, with a domain exception list
  (nämnd is a noun here, not the verb nämna).

Filters keep no large data on themselves (Whoosh pickles the analyzer into the index):
word lists are loaded once per process, lazily.
"""

from __future__ import annotations

import os
import sysconfig
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang.stopwords import stoplists

from ..config import Analysis
from ..swedish import (
    COMPOUND_PART_ENDINGS,
    DOMAIN_WORDS,
    LEMMA_EXCEPTIONS,
    NOT_COMPOUND_PREFIXES,
    STATUS_WORDS,
)

# Dates, numbers with space-separated thousands and a decimal comma, then words.
TOKEN_PATTERN = r"\d{4}-\d\d-\d\d|(?:\d{1,3}(?: \d{3})+|\d+)(?:,\d+)?(?!\w)|\w+"

# The Swedish stop list as Whoosh ships it (the app never marks these words in a report), and the
# one the analysis drops: without the words that carry status or negation.
STOPWORDS = frozenset(stoplists["sv"]) - STATUS_WORDS.words


class SwedishTokenizer(RegexTokenizer):
    def __init__(self):
        super().__init__(expression=TOKEN_PATTERN)


class NumberFilter(Filter):
    """"1 234,5" → "1234,5": a number is one token however its thousands were written."""

    def __call__(self, tokens):
        for t in tokens:
            if " " in t.text:
                t.text = t.text.replace(" ", "")
            yield t


# --- compounds -----------------------------------------------------------------

def dictionary_path() -> Path | None:
    candidates = [Path(sysconfig.get_paths()["data"]) / "share" / "hunspell" / "sv_SE.dic",
                  Path("/usr/share/hunspell/sv_SE.dic")]
    if os.environ.get("RAPPORTSOK_SV_DIC"):
        candidates.insert(0, Path(os.environ["RAPPORTSOK_SV_DIC"]))
    return next((p for p in candidates if p.is_file()), None)




def word_list() -> Iterator[tuple[str, str]]:
    """(word, suffix flags) of each lower-case entry of the Swedish Hunspell word list (package
    hunspell-sv), read as needed: each user keeps only the part it asks about."""
    path = dictionary_path()
    if path is None:
        raise RuntimeError("the Swedish word list sv_SE.dic is missing: install the package hunspell-sv")
    with path.open(encoding="utf-8", errors="ignore") as f:
        next(f, None)  # the first line is the entry count
        for line in f:
            word, _, flags = line.strip().partition("/")
            if word.isalpha() and word.islower():
                yield word, flags


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """Swedish stems from the Hunspell word list, lower case."""
    return frozenset(DOMAIN_WORDS.words | {word for word, _ in word_list() if len(word) >= 3})


MIN_PART = 3


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> tuple[tuple[int, str], ...]:
    """(start, stem) of each part of a compound ("trygghetsmedlen" → ((0, "trygghet"),
    (9, "medel"))), fewest parts first; () when the word is no compound of known words."""
    if len(word) < 7 or not word.isalpha():
        return ()
    words = lexicon()
    n = len(word)
    best: list[tuple | None] = [None] * (n + 1)
    best[0] = ()
    for start in range(n):
        if best[start] is None:
            continue
        for end in range(start + MIN_PART, n + 1):
            stem = _known(word[start:end], words, end == n)
            if not stem or start == 0 and end == n or end < n and stem in NOT_COMPOUND_PREFIXES:
                continue
            if len(stem) <= MIN_PART and 0 < start and end < n:
                continue  # a short word inside a compound is a false split (prognos|tis|e|rar)
            candidate = best[start] + ((start, stem),)
            # Fewest parts; then the most letters given to linking -s-/-e- (kostnad|s|ökning).
            if best[end] is None or (len(candidate), sum(len(p) for _, p in candidate)) < (
                    len(best[end]), sum(len(p) for _, p in best[end])):
                best[end] = candidate
    parts = best[n] or ()
    # A word the dictionary knows whole is split only into long parts (not förs|kola, ung|dom).
    if parts and min(len(p) for _, p in parts) < 5 and _known(word, words, True):
        return ()
    return parts


def split_compound(word: str) -> tuple[str, ...]:
    return tuple(stem for _, stem in compound_parts(word))


def compound_base(word: str) -> str | None:
    """The compound with its last part in base form (stadsmiljöverksamheten → stadsmiljöverksamhet),
    so inflected and bare compounds meet even where the lemmatizer does not know them."""
    parts = compound_parts(word)
    if not parts:
        return None
    start, stem = parts[-1]
    return word[:start] + stem


def _known(piece: str, words: frozenset[str], last: bool) -> str | None:
    if not last:  # linking -s- or -e- between parts: trygghet|s|medel, skol|e|gård
        if piece[-1] in "se" and len(piece) > MIN_PART and piece[:-1] in words:
            return piece[:-1]
        return piece if piece in words else None
    if piece in words:
        return piece
    for ending in COMPOUND_PART_ENDINGS:
        stem = piece[: -len(ending)]
        if piece.endswith(ending) and len(stem) >= MIN_PART:
            if stem in words:
                return stem
            # medlen → medel, regler → regel, nycklar → nyckel: the e before l/r/n drops in inflection
            if stem[-1] in "lrn" and stem[:-1] + "e" + stem[-1] in words:
                return stem[:-1] + "e" + stem[-1]
    if piece.endswith(("iet", "ier")) and piece[:-3] + "ium" in words:  # obligatoriet → obligatorium
        return piece[:-3] + "ium"
    return None


class CompoundFilter(Filter):
    """Adds the parts of a compound beside the whole word, at the same position."""

    def __call__(self, tokens):
        for t in tokens:
            whole = t.text
            if not (whole.isalpha() and len(whole) >= 7 and compound_parts(whole)):
                yield t
                continue
            yield t
            base = compound_base(whole)
            if base != whole:
                t.text = base
                yield t
            for part in split_compound(whole):
                t.text = part
                yield t


# --- lemmas ----------------------------------------------------------------------

@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    if word in LEMMA_EXCEPTIONS:
        return LEMMA_EXCEPTIONS[word]
    if not word.isalpha():
        return word
    import simplemma

    # low_memory: the dictionary stays the compressed stream simplemma ships, read a block at a
    # time (~13 MB, not the ~90 MB of a decoded dict); the lemmas are the same.
    return simplemma.lemmatize(word, lang="sv", low_memory=True).lower()


class LemmaFilter(Filter):
    """Swedish lemmas (förskolan → förskola, genomfördes → genomföra), domain words excepted,
    beside the word as written: the lemmatizer is not consistent across a word's forms
    (mottagande → motta, but mottagandet → mottagande), so either shared form makes a match."""

    def __init__(self, keep_word: bool = True):
        self.keep_word = keep_word

    def __call__(self, tokens):
        for t in tokens:
            word = t.text
            base = lemma(word)
            if base in STOPWORDS and word not in STOPWORDS:
                base = word  # första → en: a lemma that is a stop word would match every "ett"
            if self.keep_word and base != word:
                yield t
            t.text = base
            yield t


class StopWords(StopFilter):
    def __init__(self):
        super().__init__(stoplist=STOPWORDS, minsize=1)


class WordTokens:
    """The analyzer's tokens of a text as a set, each distinct word analysed once: the filters
    after the tokenizer look at one word at a time, so a word's tokens (its lemma, its compound
    parts) are the same in every passage. Re-ranking reads dozens of passages per query."""

    MOST = 200_000  # words remembered; past that the memo starts again (a bounded memory)

    def __init__(self, analyzer):
        tokenizer = analyzer.items[0]
        if not isinstance(tokenizer, RegexTokenizer) or tokenizer.gaps:
            raise TypeError("WordTokens needs an analyzer whose tokenizer matches words with a pattern")
        self._analyzer = analyzer
        self._find = tokenizer.expression.finditer  # the tokenizer's own words, without its Token objects
        self._words: dict[str, frozenset[str]] = {}

    def __call__(self, text: str) -> set[str]:
        out: set[str] = set()
        for match in self._find(text):
            word = match.group()
            tokens = self._words.get(word)
            if tokens is None:
                if len(self._words) >= self.MOST:
                    self._words.clear()
                tokens = self._words[word] = frozenset(x.text for x in self._analyzer(word))
            out |= tokens
        return out


def swedish_analyzer(numbers: bool = True, stopwords: bool = True, compounds: bool = True,
                     stemming: str = "lemma"):
    """The analyzer; the switches exist to measure each step against the dev set.

    stemming: "lemma" (simplemma + exceptions, beside the word), "lemma_only" (one token per word,
    for phrase queries), "snowball" (Whoosh's Swedish Snowball), or "none".
    """
    chain = (SwedishTokenizer() if numbers else RegexTokenizer()) | LowercaseFilter()
    if numbers:
        chain = chain | NumberFilter()
    if stopwords:
        chain = chain | StopWords()
    if compounds:
        chain = chain | CompoundFilter()
    if stemming in ("lemma", "lemma_only"):
        chain = chain | LemmaFilter(keep_word=stemming == "lemma")
    elif stemming == "snowball":
        chain = chain | StemFilter(lang="sv")
    return chain


def analyzer_for(options: Analysis):
    """The index's analyzer for the configured [analysis] settings."""
    return swedish_analyzer(compounds=options.decompounding, stemming="lemma" if options.stemming else "none")


def phrase_analyzer(analyzer):
    """For "phrases", OCH/ELLER/INTE: the index's own chain with one token per word — compounds
    kept whole and one lemma per word, so positions line up and `INTE trafiknämnden` does not
    exclude every passage that mentions a nämnd."""
    from whoosh.analysis.analyzers import CompositeAnalyzer

    items = []
    for item in analyzer.items:
        if isinstance(item, CompoundFilter):
            continue
        items.append(LemmaFilter(keep_word=False) if isinstance(item, LemmaFilter) else item)
    return CompositeAnalyzer(*items)


class TextAnalysis:
    """A text field's analysis as the query side uses it, whatever the engine: a text's tokens,
    and which steps the chain takes (compound parts, lemmas)."""

    def __init__(self, chain):
        self.chain = chain
        items = getattr(chain, "items", ())
        self.compounds = any(isinstance(item, CompoundFilter) for item in items)
        self.lemmas = any(isinstance(item, LemmaFilter) for item in items)

    def __call__(self, text: str) -> list[str]:
        return [t.text for t in self.chain(text)]

    def phrases(self) -> TextAnalysis:
        """The analysis of "phrases" and OCH/ELLER/INTE: one token per word (`phrase_analyzer`)."""
        return TextAnalysis(phrase_analyzer(self.chain))

    def word_tokens(self) -> WordTokens:
        return WordTokens(self.chain)


def tokens(text: str, analyzer=None) -> list[str]:
    return [t.text for t in (analyzer or swedish_analyzer())(text)]



