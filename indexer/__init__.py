"""Rapportsök's library: reports → typed structure → passages → a Swedish Whoosh index → search,
answers and the view across years. This module is its public API; the CLI and the web app use
only what it exports.

    ingest/   read → clean → metadata → structure/tables/amounts → pipeline (parse_file) → passages
    store/    analysis → schema → engine (Whoosh, tantivy) → build (generations, documents)
    query/    questions → plan → reading (Question) → ranking → search (suggest) → constraints → answers
    history   the same activity, indicator or goal across reports
    evaluate  recall, MRR and answer accuracy on an evaluation set
"""

from .config import Analysis, Config, ConfigError, load_config
from .evaluate import (EvalFileError, evaluate, format_precision, format_report, load_cases, load_probes, load_sets,
                       precision)
from .history import Group, History, Occurrence, read_history, select
from .ingest.pipeline import collect_sources, parse_file, printable
from .ingest.read import ReadError
from .patterns import LEVEL_LABELS, STATUS_LABELS, YEARS
from .query.answers import AGREEING_PASSAGES as ANSWER_DEPTH
from .query.answers import Answer, Reply, ask
from .query.questions import answer_type, is_question
from .query.reading import Question, read_question
from .query.ranking import DEFAULT as DEFAULT_RANKING
from .query.ranking import Ranking
from .query.params import (ASK_PARAMS, DOCUMENT_PARAMS, EXPORT_PARAMS, HISTORY_PARAMS, KINDS, MAX_OFFSET, SEARCH_PARAMS,
                           SORTS, STATUSES, Param, QueryError, SearchParams, read_args)
from .query.search import FACETS, Hit, SearchResult, more_like_this, open_searcher, search
from .records import Report
from .store.build import BuildFailed, BuildReport, build_index
from .store.documents import DOCS, REPORT_LIST, document_ids, document_record, report_list
from .store.generations import READ_ERRORS, IndexBusy, IndexDamaged, IndexMissing, damaged, open_index

__all__ = [
    "ASK_PARAMS", "DOCUMENT_PARAMS", "EXPORT_PARAMS", "HISTORY_PARAMS", "Param", "SEARCH_PARAMS", "read_args",
    "ANSWER_DEPTH", "Analysis", "Answer", "BuildFailed", "BuildReport", "Config", "ConfigError", "DEFAULT_RANKING", "DOCS",
    "EvalFileError", "FACETS", "Question", "read_question",
    "Group", "History", "Hit", "Occurrence", "IndexBusy", "IndexDamaged", "IndexMissing", "KINDS", "LEVEL_LABELS", "MAX_OFFSET",
    "QueryError", "READ_ERRORS", "REPORT_LIST", "Ranking", "ReadError", "Reply", "Report", "SORTS", "STATUSES", "STATUS_LABELS", "YEARS",
    "SearchParams", "SearchResult", "answer_type", "ask", "is_question", "build_index", "collect_sources", "damaged", "document_ids",
    "document_record", "evaluate", "format_precision", "format_report", "load_cases", "load_config", "load_probes", "load_sets",
    "more_like_this", "open_index", "open_searcher", "parse_file", "precision", "printable", "read_history", "report_list", "search", "select",
]
