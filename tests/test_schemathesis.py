"""The API against its own description: schemathesis generates valid and invalid requests for every
operation in /api/openapi.json and runs every check on them (as `st run --checks all` does), on
the app in-process. A bounded number of examples and a fixed seed keep it quick and repeatable."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import configuration
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events

pytestmark = pytest.mark.slow  # generated requests against every operation

EXAMPLES = 10
SEED = 20261123


def no_searchable_words(recorder, case_id: str) -> bool:
    """A well-formed query can still hold nothing to search for ("och", "-"): the API says so with
    a 400, which no schema can describe."""
    response = recorder.interactions[case_id].response
    try:
        return response.status_code == 400 and "inga sökbara ord" in json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        return False


def drift(app) -> list[str]:
    """Every failed check, as 'check: request → what is wrong', and every error of the run."""
    config = SchemathesisConfig.from_dict({"seed": SEED, "generation": {"max-examples": EXAMPLES, "database": "none"}})
    config.projects.override.checks.update(included_check_names=["all"])
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=config)
    found = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.NonFatalError):
            found.append(f"error in {event.label}: {event.info.title}")
        elif isinstance(event, events.FatalError):
            found.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.ScenarioFinished):
            for case_id, checks in event.recorder.checks.items():
                case = event.recorder.cases[case_id].value
                found.extend(f"{c.name}: {case.method} {case.formatted_path} {case.query} → "
                             f"{c.failure_info.failure.title}" for c in checks if c.status == Status.FAILURE
                             and not (c.name == "positive_data_acceptance"
                                      and no_searchable_words(event.recorder, case_id)))
    return sorted(set(found))


def test_the_api_does_what_its_description_says(app, tmp_path):
    configuration.set_hypothesis_home_dir(tmp_path / "hypothesis")  # not .hypothesis in the work tree
    try:
        found = drift(app)
        assert not found, "\n".join(found)
    finally:
        configuration.set_hypothesis_home_dir(None)
