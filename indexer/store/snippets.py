"""Snippets: a passage's text with the words a query matched marked, made by Whoosh's highlighter
over the index's own analysis (so an inflection or a compound holding a query word is marked)."""

from __future__ import annotations

from html import escape

from whoosh import highlight

from .analysis import TextAnalysis

__all__ = ["escape", "snippet"]


class MarkFormatter(highlight.HtmlFormatter):
    """Escaped text with plain <mark> around the matched words."""

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


def snippet(text: str, marked: set[str], analysis: TextAnalysis) -> str:
    """The best two fragments holding `marked` tokens, escaped and marked; else the text's start."""
    fragment = highlight.highlight(text, marked, analysis.chain, highlight.ContextFragmenter(maxchars=260, surround=70),
                                   MarkFormatter(between=" … "), top=2) if marked else ""
    if fragment:
        return fragment
    return escape(text[:300]) + ("…" if len(text) > 300 else "")
