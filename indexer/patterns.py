"""What the reports' Swedish looks like, in one place: numbers, units, months, statuses, goal
levels, and the few ways text is normalised before it is compared."""

from __future__ import annotations

import re
import unicodedata

# A Swedish number: optional sign, groups of three separated by spaces, decimal comma.
NUMBER = r"[-–]?\d{1,3}(?: \d{3})+(?:,\d+)?|[-–]?\d+(?:,\d+)?"
# A number written with spaces between its thousands ("5 878,8"), to be joined into one token.
SPACED_NUMBER = re.compile(r"(?<![\d,])\d{1,3}(?: \d{3})+(?:,\d+)?(?![\d,])")
DATE = r"(?:19|20)\d\d-[01]\d-[0-3]\d"
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
YEARS = (1900, 2100)  # the years a filter may name

# Money units → factor to mnkr; spelled-out forms count too.
MONEY_UNITS = {
    "mnkr": 1.0, "mkr": 1.0, "mn kr": 1.0, "miljoner kronor": 1.0, "miljoner": 1.0,
    "mdkr": 1000.0, "mdr kr": 1000.0, "miljarder kronor": 1000.0, "miljarder": 1000.0,
    "tkr": 0.001, "tusen kronor": 0.001,
}
# Units a table cell or an indicator value may carry after its number.
VALUE_UNITS = ("%", "st", "kr", "tkr", "mnkr", "mkr", "mdkr", "dagar", "år", "timmar", "index", "procent")

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")
MONTH_PATTERN = "|".join(MONTHS)

STATUSES = ("helt", "delvis", "inte")
# "Uppfylls helt" — how a goal's status is printed.
STATUS_PHRASE = r"Uppfylls (helt|delvis|inte)"
STATUS_LABELS = {"helt": "Uppfylls helt", "delvis": "Uppfylls delvis", "inte": "Uppfylls inte"}


LEVEL_LABELS = {"inriktningsmal": "KF:s inriktningsmål", "verksamhetsmal": "KF:s mål för verksamhetsområdet",
                "namndmal": "Nämndmål"}

# Lost icon glyphs (status dots, bullets from symbol fonts) that extraction leaves at a line start.
GLYPHS = "●○◆■□▪►✓\uf0b7\uf0a7\uf0d8\uf0fc"
_CID = re.compile(r"\(cid:\d+\)")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)


def normalize_text(text: str) -> str:
    """Extracted text made plain: NFKC (ligatures), minus sign and no-break spaces, `(cid:N)` junk
    removed, soft hyphens kept only where they end a line."""
    text = _CID.sub("", text)
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    text = text.replace("\u2212", "-").replace("\u00a0", " ").replace("\u202f", " ")
    if "\u00ad" in text:
        body = text.rstrip()
        text = body[:-1].replace("\u00ad", "") + ("-" if body.endswith("\u00ad") else body[-1:])
    return text


_SPACES = re.compile(r"\s+")
_WRAPPED = re.compile(r"(\w)- (\w)")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Whitespace collapsed and case folded: how evidence and answers are compared."""
    return _SPACES.sub(" ", text).strip().casefold()


def word_key(text: str) -> str:
    """Lower-case words only, hyphenation at a wrap undone: two texts that differ only in
    wrapping, punctuation or case get the same key."""
    return " ".join(_WORD.findall(_WRAPPED.sub(r"\1\2", text).lower()))


_ACCENTS = str.maketrans("åäöéüàèáÅÄÖÉÜÀÈÁ", "aaoeuaeaAAOEUAEA")


def unaccent(text: str) -> str:
    """å/ä/ö/é folded to plain letters, as typed on a keyboard without them."""
    return text.translate(_ACCENTS)
