"""Swedish names for the codes the index uses, shared by the pages and the exports."""

from __future__ import annotations

from indexer import STATUS_LABELS

KIND_LABELS = {"goal": "Mål", "summary": "Sammanfattning", "analysis": "Analys",
               "expected_result": "Förväntat resultat", "description": "Beskrivning", "activity": "Aktivitet",
               "indicator": "Indikator", "decision": "Beslut", "economy": "Ekonomi", "other": "Övrigt"}
FACET_LABELS = {"namnd": "Nämnd", "year": "År", "period": "Period", "doc_id": "Rapport", "report_type": "Rapporttyp", "kind": "Avsnitt",
                "status": "Måluppfyllelse", "deviation": "Avvikelse"}
SORT_LABELS = {"relevance": "Relevans", "date": "Nyast först", "date_asc": "Äldst först"}


def facet_value_label(name: str, value: str) -> str:
    if name == "kind":
        return KIND_LABELS.get(value, value)
    if name == "status":
        return STATUS_LABELS.get(value, value)
    if name == "deviation":
        return {"ja": "Med avvikelse", "nej": "Utan avvikelse"}.get(value, value)
    if name == "period" and value.isdigit():  # an annual report's period is its year
        return f"Helåret {value}"
    return value
