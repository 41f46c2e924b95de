"""What Rapportsök knows of Swedish, as data in one place: the word lists and endings that the
analysis, the question reader, the search and the answers use. Each entry says where its truth
comes from — `general` (a fact of Swedish) or `report-format` (how the city's and the agencies'
reports are written) — and why it is here. A rule built on an entry must hold for every word of
it; an entry is never made for one question.

The formats of numbers, dates, amounts and statuses are in `patterns.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Source = Literal["general", "report-format"]


@dataclass(frozen=True)
class Words:
    """A set of words (lower case) with where its truth comes from and why it is here."""

    source: Source
    why: str
    words: frozenset[str]

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __iter__(self):
        return iter(sorted(self.words))


@dataclass(frozen=True)
class Endings:
    """Word endings, longest first."""

    source: Source
    why: str
    endings: tuple[str, ...]

    def __post_init__(self):
        object.__setattr__(self, "endings", tuple(sorted(self.endings, key=len, reverse=True)))

    def __iter__(self):
        return iter(self.endings)


def words(source: Source, why: str, text: str) -> Words:
    return Words(source, why, frozenset(text.split()))


def endings(source: Source, why: str, text: str) -> Endings:
    return Endings(source, why, tuple(text.split()))


# --- words a query need not hold ------------------------------------------------------------

# Stop words that carry a goal's status or a negation: they stay searchable.
STATUS_WORDS = words("general", "negation and degree decide whether a goal was met or an activity done",
                     "inte ej ingen inga inget icke delvis helt utan")

QUESTION_WORDS = words(
    "general", "what a question asks with, never what it asks about, and the verbs and adverbs it asks them "
    "with ('vad hände', 'hur gick det', 'enligt'): a passage need not hold them",
    "vad hur när var vilka vilken vilket varför vem vems varifrån varigenom vart varav hurdan huruvida "
    "mycket många stort stor länge enligt finns fanns får fick hände ska skulle kan kunde blev bli sedan "
    "väntas beräknas vill ville via per gick gör görs gjort gjorde hade har är om")

FILLER = words(
    "general", "conjunctions, prepositions and adverbs the stop list lacks ('eftersom fler elever börjar', "
    "'jämfört med året innan', 'trots att'), modal and light verbs ('måste', 'har nämnden fått', 'tar … över'): "
    "they name no topic",
    "eftersom innan bland jämfört trots samt även också redan ännu dock därför medan både hos kring bara endast "
    "enda igen högst måste fått ta tar tog tagit ge ger gav gett givit kommer kom kommit haft")

# Phrases, not words: each stands for one preposition or conjunction.
COMPLEX_PREPOSITIONS = Words(
    "general", "multi-word prepositions ('tack vare', 'på grund av', 'i samband med'): their nouns name no topic",
    frozenset({"tack vare", "på grund av", "med hjälp av", "i samband med", "med anledning av", "till följd av",
               "i stället för", "i form av", "i fråga om", "när det gäller", "i enlighet med", "i förhållande till",
               "med tanke på", "i syfte att", "i och med", "med avseende på", "med undantag av", "i takt med"}))

YEAR_AS_UNIT = words("report-format", "'per år' asks for a yearly figure, which a report says as 'årligen'",
                     "år åren")

STATUS_VERBS = words(
    "general", "a status question's own verb ('Når nämnden målet?', 'Är upphandlingen klar?'): the status is "
    "what it asks for, said in the report's own words",
    "når nås nåddes nått uppnås uppfylls uppfylldes klar klart klara färdig färdigt pågår genomförd genomfört "
    "genomfördes genomförts nå uppnå uppfylla bedöms bedömer bedömde väntas förväntas beräknas anser tror kommer")

REPORT_NAMES = words("report-format", "words naming a report or the city every report is about, not its content",
                     "tertialrapport delårsrapport verksamhetsberättelse årsredovisning rapport stockholm stad")

ANAPHORA = words("general", "a sentence opening with a demonstrative or a linking adverb is about what the "
                 "sentence before it names ('Dessa beräknas …', 'Därmed …')",
                 "dessa detta denna därmed därigenom därav härigenom")

CHANGE_WORDS = words(
    "general", "a change or a comparison ('hur mycket ökade …', 'hur mycket högre …') is said in per cent as often "
    "as in money", "öka ökning minska minskning sjunka stiga växa höja höjning sänka sänkning förändra förändring "
    "högre lägre större mindre mer dyrare billigare")

# --- verbs and their company ----------------------------------------------------------------

LIGHT_VERBS = words("general", "verbs with no content of their own: a sentence need not repeat them",
                    "vara bli ha få kunna skola vilja göra finnas komma gå ge ta stå ligga sätta hålla bedöma "
                    "beräkna vänta förvänta")

PARTICLES = words("general", "particles that make a verb with its own meaning: 'tar över' is 'övertar'",
                  "över upp ut in fram bort av på till med ner")

PREPOSITIONS = words("general", "prepositions: a particle followed by one ends its verb's phrase",
                     "i på från till med av för om under inom vid hos mot efter utan")

ATTRIBUTIVE_AFTER = Words(
    "general", "after these and a preposition a participle stands before its noun ('stadens samordnade inköp', "
    "'vilken justerad budget'); a past tense verb follows its subject",
    frozenset("den det de en ett sin sitt sina vilken vilket vilka stort stor stora nya nytt än".split())
    | PREPOSITIONS.words)

SUPINE_AFTER = words("general", "a supine follows these", "har hade ha")

SIGNING_VERBS = words("general", "verbs of writing a text: who did is the name signed under it",
                      "skriva underteckna signera författa")

ORDINALS = words("general", "ordinals name a period or a place in a list, not a degree",
                 "första andra tredje fjärde sista")

NUMBER_WORDS = words("general", "numbers said in words ('en' and 'ett' left out: far more often an article)",
                     "två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton sexton sjutton arton "
                     "nitton tjugo trettio fyrtio femtio hundra tusen")

# --- endings ---------------------------------------------------------------------------------

INFLECTIONS = endings("general", "inflection: a word with one cut is its stem",
                      "a e n t s en et na ar er or ad at de te ns ts ade ens ets nas ast arna erna orna")

VERB_NOUNS = endings(
    "general", "nouns made from verbs (utöka → utökning, införa → införandet, uppleva → upplevelse, ansöka → "
    "ansökan); left out: -are makes a doer (arbete ≠ arbetare), -nad a noun of its own (bygga ≠ byggnad)",
    "ande ende andet ing ning ningen ningar ingen ingar an else elsen elser")

VERB_NOUN_FORMS = endings("general", "what a verb's stem takes to name its act (utöka → utökning, kosta → "
                          "kostnad, satsa → satsande)", "ning nad ing ande ende")

NOUN_ENDINGS = endings("general", "what a noun adds to a stem it shares with a verb: 'inköp', 'frågan', "
                       "'flickor' are no verbs", "n na or orna an ans en ens et ets arna erna")

COMPOUND_PART_ENDINGS = endings("general", "inflection of a compound's last part (nämnden → nämnd, not nämnde)",
                                "s e a n t r en et na er ar or ns ts ens ets arna erna orna ernas arnas ornas")

PASSIVE_ENDINGS = endings("general", "a past passive ('ombudgeterades', 'förlängdes'): a verb form even where the "
                          "word list lacks the verb, so never a topic the reports could fail to mention",
                          "ades des tes")

SUPINE_ENDINGS = endings("general", "a supine: after 'har/hade', with the subject between them in a question "
                         "('har kommunstyrelsen anslagit')", "it tt at ts ats its")

COMPARATIVE_ENDINGS = endings("general", "comparatives and superlatives, whose lemma is the shorter plain "
                              "adjective (lägre → låg, största → stor)", "re ast aste sta")

NOT_COMPOUND_PREFIXES = words("general", "prefixes that make derived words, not compounds (förskola, "
                              "uppföljning, överenskommelse)",
                              "för och att som men till från med mot vid upp över under efter fram bort sam miss "
                              "van sön ute inne")

NUMBERED_LABELS = words("report-format", "nouns a number names one of, not counts: 'bilaga 5', 'tabell 3', "
                        "'tertial 2', 'medelsreserv 2'",
                        "bilaga bilagan kapitel avsnitt punkt sida nr nummer paragraf tabell figur diagram tertial "
                        "steg fas etapp reserv medelsreserv")

# --- the reports' own words -------------------------------------------------------------------

DOMAIN_WORDS = words("report-format", "words of these reports the general word list lacks, as compound parts "
                     "(coronapandemin)", "corona covid hbtq wifi app sms lss sfi")

LEMMA_EXCEPTIONS: dict[str, str] = {  # report-format: domain nouns a general lemmatizer takes for verbs
    **dict.fromkeys(["nämnd", "nämnden", "nämnder", "nämnderna", "nämnds", "nämndens", "nämndernas"], "nämnd"),
    **dict.fromkeys(["mål", "målet", "målen", "målets", "målens"], "mål"),
    **dict.fromkeys(["medel", "medlen", "medlet", "medlens"], "medel"),
    **dict.fromkeys(["analys", "analysen", "analyser", "analyserna"], "analys"),
    **dict.fromkeys(["prognos", "prognosen", "prognoser", "prognoserna"], "prognos"),
    **dict.fromkeys(["förskola", "förskolan", "förskolor", "förskolorna", "förskolans"], "förskola"),
}

# report-format: short names the reports and their readers use for a nämnd or its office.
ABBREVIATIONS = {"ks": "Kommunstyrelsen", "slk": "Kommunstyrelsen"}

# --- synonyms ----------------------------------------------------------------------------------

# Words for the same thing: each finds the others, at the lower weight Ranking.synonym. Only words
# that name the same thing (not a broader or narrower one: bolag/aktiebolag; not one that also
# means something else: bistånd, inköp; not a related thing: kostnad/utgift, sjukskrivning).
SYNONYMS = (
    words("general", "a rise", "höjning ökning"),
    words("general", "a fall", "sänkning minskning"),
    words("general", "money coming in", "intäkt inkomst"),
    words("general", "a negative result", "underskott minusresultat"),
    words("general", "someone employed", "anställd medarbetare"),
    words("general", "absence through illness, of the absence and of those absent", "sjukfrånvaro sjukfrånvarande"),
    words("general", "young people", "ungdom unga"),
    words("general", "having no home", "hemlöshet bostadslöshet"),
    words("general", "someone with no home", "hemlös bostadslös"),
    words("general", "crime", "brottslighet kriminalitet"),
    words("general", "writing on walls", "klotter graffiti"),
    words("general", "summer jobs for the young", "feriejobb sommarjobb"),
    words("general", "building homes", "bostadsbyggande bostadsproduktion"),
    words("general", "preschool, and its everyday name", "förskola dagis"),
    words("general", "setting money aside for a purpose", "avsätta reservera anslå"),
    words("general", "granting", "bevilja tilldela"),
    words("general", "money", "pengar medel"),
    words("general", "protective equipment", "skyddsutrustning skyddsmaterial"),
    words("general", "a road for bicycles", "cykelväg cykelbana"),
    words("report-format", "the reports' own short form ('KF:s mål', 'KF:s inriktningsmål')", "kommunfullmäktige kf"),
)
