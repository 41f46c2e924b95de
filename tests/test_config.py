"""config.toml: paths relative to the file, selection by flag or environment variable."""

from __future__ import annotations

import pytest
from conftest import ROOT

from indexer.config import ENV_VAR, Analysis, ConfigError, load_config


def test_repository_config_points_at_the_bundled_corpus(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)  # no config.toml here: the repository's own is used
    config = load_config()
    assert config.corpus_dir == ROOT / "corpus"
    assert config.index_dir == ROOT / "var" / "index"
    assert config.port == 8000 and config.analysis == Analysis(stemming=True, decompounding=True)


def test_paths_are_relative_to_the_config_file(tmp_path):
    cfg = tmp_path / "sub" / "rapportsok.toml"
    cfg.parent.mkdir()
    cfg.write_text('[corpus]\npath = "../rapporter"\n[index]\npath = "ix"\n[server]\nport = 9000\n', encoding="utf-8")
    config = load_config(cfg)
    assert config.corpus_dir.resolve() == (tmp_path / "rapporter").resolve()
    assert config.index_dir == cfg.parent.resolve() / "ix"
    assert config.port == 9000


def test_environment_variable_selects_the_config(monkeypatch, tmp_path):
    cfg = tmp_path / "other.toml"
    cfg.write_text('[server]\nhost = "0.0.0.0"\n', encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(cfg))
    assert load_config().host == "0.0.0.0"


@pytest.mark.parametrize("text, message", [
    ("[server\n", "not valid TOML"),
    ("[server]\nport = 'åtta'\n", "server.port"),
    ("[server]\nport = 70000\n", "server.port"),
    ("[analysis]\nlanguage = 'sv'\n", "unknown \\[analysis\\] settings language"),
    ("[analysis]\nstemming = 'ja'\n", "analysis.stemming must be true or false"),
])
def test_bad_config_says_what_is_wrong(tmp_path, text, message):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(cfg)


def test_missing_named_config(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "saknas.toml")
