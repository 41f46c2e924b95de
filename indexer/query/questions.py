"""What a Swedish question asks for: the expected answer type, read from its question words,
what a value of each type looks like in the reports, and the list questions the structured
records answer in full."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..patterns import MONEY_UNITS, MONTH_PATTERN, NUMBER, STATUS_PHRASE
from ..store.analysis import dictionary_path, lemma, word_list
from ..swedish import (
    ATTRIBUTIVE_AFTER,
    CHANGE_WORDS,
    COMPARATIVE_ENDINGS,
    LIGHT_VERBS,
    NOUN_ENDINGS,
    NUMBER_WORDS,
    ORDINALS,
    PARTICLES,
    PASSIVE_ENDINGS,
    PREPOSITIONS,
    QUESTION_WORDS,
    SIGNING_VERBS,
    SUPINE_AFTER,
    SUPINE_ENDINGS,
    VERB_NOUN_FORMS,
)

# (pattern on the start of the question, answer type); first match wins.
_TYPES = [
    (r"hur (mycket|stort|stora|dyr)|vad (kostar|kostade|väntas .* kosta|beräknas .* kosta)"
     r"|till vilket belopp", "amount"),
    (r"hur stor andel|hur stor del|hur många procent", "share"),
    (r"hur många", "count"),
    (r"när|sedan när|från när|från och med när"
     r"|(?:från |till )?(?:vilket|vilken) (?:datum|dag|månad|år)\b", "date"),
    (r"uppfylls|uppfylldes|når|nådde|nåddes|nås|klarade|klarar|har .* (uppnåtts|genomförts)|genomfördes"
     r"|blev .* klar"
     r"|vad hände|hur gick"
     r"|(?:är|blir|blev) .* (?:klar|klart|klara|genomförd|genomfört|färdig\w*|i drift)\b"
     # A yes/no question about an assessment or expectation of a goal: "Bedöms målet om … nås?",
     # "Bedömer kontoret att årsmålet nås?", "Väntas nämnden uppfylla målet?"
     r"|(?:bedöms|bedömer|bedömde|väntas|förväntas|beräknas|anser|tror|kommer) .*\b(?:nås|uppnås|uppfylls|nå|uppnå|uppfylla)\b",
     "status"),
    (r"varför|av vilken anledning", "reason"),
    (r"(?:(?:från|till|för|hos|av|i|på|med) )?(?:vilka|vilken|vilket)|vem|varifrån|från vem", "name"),
]

# "Vilken justerad budget …", "Vilket slutdatum …", "Vad var sjukfrånvaron …": the noun asked
# about decides the type where the question word does not.
_NOUN_TYPES = [
    (r"budget\w*|kostnad\w*|summa\w*|belopp\w*|\w*överskott\w*|\w*underskott\w*|anslag\w*|intäkt\w*"
     r"|\w*resultat\w*|investering\w*", "amount"),
    (r"andel\w*|procent\w*", "share"),
    (r"\w*datum\w*", "date"),
]
_NOUN_QUESTION = re.compile(r"^(?:vilken|vilket|vilka|vad (?:var|är|blev|blir))\s+((?:[\wåäö-]+\s*){1,3})",
                            re.IGNORECASE)

_NUMBER_WORDS = "|".join(NUMBER_WORDS)

# Money units, longest first so "miljoner kronor" wins over "miljoner".
_MONEY = "|".join(sorted((re.escape(u) for u in MONEY_UNITS), key=len, reverse=True))
_NAME = r"[A-ZÅÄÖ][\wåäö]+(?:-[A-ZÅÄÖ][\wåäö]+)*(?: [A-ZÅÄÖ][\wåäö]+(?:-[A-ZÅÄÖ][\wåäö]+)*)*"

# Who wrote or signed a text is the name under it: "Bosse Sundling", "KARIN WANNGÅRD",
# "Magdalena Bosson, stadsdirektör." (a role after it), standing alone at the end of a passage.
_PERSON = r"[A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?|[A-ZÅÄÖ]{2,}(?:-[A-ZÅÄÖ]{2,})?"
SIGNATURE = re.compile(rf"((?:{_PERSON})(?: (?:{_PERSON})){{1,2}})(?:, [a-zåäö]+)?\.?")

# A number or a range of two ("10-15 procent", "3–4 mnkr").
_RANGE = rf"(?:{NUMBER})(?:[-–]\d+(?:,\d+)?)?"

VALUE_PATTERNS = {
    "amount": re.compile(
        rf"(?:{_RANGE})\s*(?:{_MONEY}|kronor|kr|procent|%)"
        # A bare large number too, as in a table cell; not one that counts ("140 000 nya bostäder").
        rf"(?: per år)?|\b\d{{1,3}}(?: \d{{3}})+(?:,\d+)?\b(?!\s*[a-zåäö])", re.IGNORECASE),
    "share": re.compile(rf"(?:{_RANGE})\s*(?:%|procent)", re.IGNORECASE),
    "count": re.compile(rf"\b(?:{NUMBER}|{_NUMBER_WORDS})\b(?: (?:%|procent|st|[a-zåäö]{{3,}}))?",
                        re.IGNORECASE),
    "date": re.compile(rf"\b\d{{4}}-\d\d-\d\d\b|\b\d{{1,2}} (?:{MONTH_PATTERN})(?: \d{{4}})?\b"
                       rf"|\b(?:{MONTH_PATTERN}) \d{{4}}\b|\b(?:19|20)\d\d\b"
                       # A time said in words: "vid halvårsskiftet", "först under hösten", "i slutet av
                       # året", "under första kvartalet".
                       rf"|\b(?:vid|under|till|efter|före|i (?:början|slutet|mitten) av)\s+(?:\w+\s+)?"
                       rf"(?:(?:halv)?årsskiftet|halvåret|kvartalet|tertialet|(?:vår|höst|sommar|vinter)(?:en|terminen)"
                       rf"|året|månaden|{MONTH_PATTERN})\b(?: \d{{4}})?", re.IGNORECASE),
    "status": re.compile(rf"{STATUS_PHRASE}|\bAvvikelse\b|avstannat|försenat|pausats|vilande"
                         r"|inte (?:kunnat|genomförts|nåtts|uppnåtts)|har genomförts|uppnåtts|påbörjats|slutförts"
                         r"|(?:vara|är|blir) (?:genomförd|klar|avslutad|färdig)\w*|nås (?:helt|delvis|inte)",
                         re.IGNORECASE),
    "reason": re.compile(r"(?:på grund av|eftersom|med anledning av|till följd av|beroende på|i och med att|då)"
                         r"\s[^.;]+", re.IGNORECASE),
    # Names of one or more capitalised words ("Viable Cities", "Hägersten-Älvsjö"), in a list.
    "name": re.compile(rf"{_NAME}(?:(?:, | och ){_NAME})*"),
    # "Vem skrev …": a signature, the last line of a text alone (asks_signer).
    "signature": re.compile(rf"(?:^|\n)[ \t]*(?:{SIGNATURE.pattern})[ \t]*\Z"),
}


_ASKED_NOUN = re.compile(r"\b(?:vilka|vilken|vilket)\s+([^\W\d_]{4,})", re.IGNORECASE)


def asked_noun(question: str) -> str | None:
    """The noun a "vilken …" question asks for, in its base form: "Vilken nämnd måste …" → nämnd,
    "Från vilken förvaltning …" → förvaltning. Its answer is often a compound with it as the
    head: Överförmyndarnämnden, socialförvaltningen."""
    m = _ASKED_NOUN.search(question)
    return lemma(m.group(1).lower()) if m else None


def answer_type(question: str) -> str | None:
    q = question.strip().lower()
    if m := _NOUN_QUESTION.match(q):
        for word in m.group(1).split():  # the first words after the question word: "vilken justerad budget"
            kind = next((k for pattern, k in _NOUN_TYPES if re.fullmatch(pattern, word)), None)
            if kind:
                return kind
    for pattern, kind in _TYPES:
        if re.match(rf"^(?:{pattern})\b", q):
            return kind
    return None


def asks_change(question: str) -> bool:
    """Whether the question asks how much something changed or differs ("Hur mycket ökade …",
    "Hur mycket högre blir …"): a share answers it as fully as an amount."""
    return any(w in CHANGE_WORDS or lemma(w) in CHANGE_WORDS for w in re.findall(r"[^\W\d_]+", question.casefold()))


def carries(kind: str | None, text: str) -> bool:
    """Whether a text holds a value of the expected answer type."""
    pattern = VALUE_PATTERNS.get(kind or "")
    return bool(pattern and pattern.search(text))


@dataclass(frozen=True)
class ListRequest:
    """A question the structured records answer in full: goals with a status, activities with
    deviation."""

    kind: str  # "goal" or "activity"
    noun: str  # as the reply names the items: "mål", "nämndmål", "aktiviteter"
    status: str | None = None
    level: str | None = None  # a goal level, when the question names one
    deviation: bool = False


_LIST_START = re.compile(r"^\s*(?:vilka|vilket|vilken)\b", re.IGNORECASE)
# A goal named in a question: "målet", "nämndmål", "KF-målet".
GOAL_QUESTION = re.compile(r"\b(nämndmål|inriktningsmål|kf-mål|kf:s mål|verksamhetsmål|mål)(?:en|et)?\b",
                           re.IGNORECASE)
_GOAL_LEVELS = {"nämndmål": "namndmal", "inriktningsmål": "inriktningsmal", "kf-mål": "verksamhetsmal",
                "kf:s mål": "verksamhetsmal", "verksamhetsmål": "verksamhetsmal"}
# "uppfylls delvis", "delvis uppfyllda", "uppfylls inte", "inte uppfyllts", "nås inte"
_STATUS = re.compile(r"\b(?:uppfyll\w*|nå\w*)\s+(helt|delvis|inte|ej)\b|\b(helt|delvis|inte|ej)\s+(?:uppfyll|nå)\w*",
                     re.IGNORECASE)
_ACTIVITY = re.compile(r"\baktivitet\w*", re.IGNORECASE)
_DEVIATION = re.compile(r"\bavvik\w*|\bförsenade\b", re.IGNORECASE)


def list_request(question: str) -> ListRequest | None:
    """"Vilka mål uppfylls delvis för Södermalm 2020?" → goals with status delvis; "Vilka
    aktiviteter har avvikelse …?" → activities with deviation; None for other questions."""
    if not _LIST_START.match(question):
        return None
    if _ACTIVITY.search(question) and _DEVIATION.search(question):
        return ListRequest("activity", "aktiviteter", deviation=True)
    noun, status = GOAL_QUESTION.search(question), _STATUS.search(question)
    if noun and status:
        said = (status.group(1) or status.group(2)).lower()
        return ListRequest("goal", noun.group(1).lower(), status={"ej": "inte"}.get(said, said),
                           level=_GOAL_LEVELS.get(noun.group(1).lower()))
    return None


# --- the question's predicate --------------------------------------------------------------

# Hunspell's suffix flags that conjugate a verb (sv_SE.aff): m present -r, M past, N past passive,
# K the er-verbs' present and past, L their passive. A word list entry with one, ending in a vowel
# as Swedish infinitives do, is a verb (adjectives such as "gemensam" share some of the flags).
_VERB_FLAGS = frozenset("mMNKL")
@lru_cache(maxsize=1)
def _verbs() -> frozenset[str]:
    """The entries of the Swedish word list with a verb's suffix flags (the word list's other
    entries are not kept: the question reader asks about verbs only)."""
    if dictionary_path() is None:
        return frozenset()
    return frozenset(word for word, flags in word_list() if _VERB_FLAGS.intersection(flags))


def _verb_form(word: str, before: str) -> str | None:
    """The infinitive when the word is a verb form here: not a noun of the verb's stem
    ("inköp", "förord", "frågan"), nor a participle standing before its noun."""
    base = lemma(word)
    # Two letters make a verb only when it is a light one ("gå", "ta"): never a content word.
    if len(word) < 3 and base not in LIGHT_VERBS or base[-1:] not in "aeiouyåäö":
        return None
    if base not in LIGHT_VERBS and base not in _verbs():
        return None
    stem = base[:-1] if base.endswith("a") else base
    if word == stem != base or any(word in (stem + e, base + e) for e in NOUN_ENDINGS):
        return None
    if word.endswith(("d", "t", "de", "te")):  # a participle, a supine or a past tense
        supine = before in SUPINE_AFTER
        past = (word.endswith(("de", "te")) and not word.endswith("nde")
                and before not in ATTRIBUTIVE_AFTER and not before.endswith("s"))
        if not (supine or past):
            return None
    return base


@dataclass(frozen=True)
class Predicate:
    """A content verb of the question, in the infinitive, with the particle that goes with it
    ("tar … över": ta, över). What the question asks is what this verb states: a sentence
    without it states something else about the same things ("40 enheter föranmält sitt intresse"
    does not say how many were "tilldelade" an award)."""

    verb: str
    particle: str | None = None

    def forms(self) -> frozenset[str]:
        """The verb and the nouns Swedish derives from it (utöka → utökning, kosta → kostnad,
        släcka → släckning), each with its particle in front when it has one (överta)."""
        stem = self.verb[:-1] if self.verb.endswith("a") else self.verb
        base = {self.verb} | {stem + ending for ending in VERB_NOUN_FORMS}
        return frozenset(self.particle + f for f in base) if self.particle else frozenset(base)


def predicates(question: str) -> tuple[Predicate, ...]:
    """The question's content verbs, a light verb only with its particle."""
    words = re.findall(r"[^\W\d_]+", question.lower())
    out = []
    for i, word in enumerate(words[1:], start=1):  # the first word asks; it never states
        base = None if word in QUESTION_WORDS else _verb_form(word, words[i - 1])
        if base is None:
            continue
        if base not in LIGHT_VERBS:
            out.append(Predicate(base))
            continue
        for j in (i + 1, i + 2):  # "går in i", "tar kommunstyrelsen över från"
            if j < len(words) and words[j] in PARTICLES and (j + 1 == len(words) or words[j + 1] in PREPOSITIONS):
                out.append(Predicate(base, words[j]))
                break
    return tuple(out)


def is_question(q: str) -> bool:
    """A natural-language question rather than keywords: it ends with a question mark or opens
    with a question word."""
    return q.rstrip().endswith("?") or answer_type(q) is not None


def is_passive(word: str) -> bool:
    """A past passive ("ombudgeterades", "förlängdes"): a verb form even where the word list lacks the
    verb."""
    return len(word) > 6 and word.casefold().endswith(PASSIVE_ENDINGS.endings)


def opens_with_verb(question: str) -> bool:
    """A question without a question word opens with its finite verb ("Minskade kostnaderna …?",
    "Riskerar nämnden …?"): the verb says what is asked of the topic."""
    words = re.findall(r"[^\W\d_]+", question.casefold())
    return (question.rstrip().endswith("?") and bool(words) and words[0] not in QUESTION_WORDS
            and _verb_form(words[0], "") is not None)


def predicate_words(question: str) -> frozenset[str]:
    """The words (case-folded) of a question that say what is asserted about its topic rather than
    name the topic: its verbs (any form the word list conjugates, a supine after "har … "), the
    degree word after "hur" ("hur hög", "hur snabbt") and comparatives ("lägre", "större"). A
    report states the same fact in its own predicate ("har ökat … från 3,4 till 3,9 procent"), so
    they rank a passage but do not select it. A word after a genitive is a noun ("stadens
    anställda")."""
    words = re.findall(r"[^\W\d_]+", question.casefold())
    out = set(words[:1]) if opens_with_verb(question) else set()
    for i, word in enumerate(words[1:], start=1):
        before = words[i - 1]
        if word in QUESTION_WORDS:
            continue
        if before == "hur":
            out.add(word)
            continue
        if before.endswith("s") and before not in QUESTION_WORDS and _verb_form(before, "") is None:
            continue
        if word.endswith(SUPINE_ENDINGS.endings) and {"har", "hade"} & set(words[:i]):
            before = "har"
        base = lemma(word)
        if _verb_form(word, before) is not None or (
                word.endswith(COMPARATIVE_ENDINGS.endings) and word not in ORDINALS and len(base) < len(word) - 1):
            out.add(word)
    return frozenset(out)


def asks_signer(question: str) -> bool:
    """"Vem skrev förordet?", "Vem undertecknade …": asks who signed a text, whose answer is the
    name under it (SIGNATURE), not any name in it."""
    return answer_type(question) == "name" and any(v.verb in SIGNING_VERBS for v in predicates(question))
