"""Settings from config.toml: corpus and index folders, server, analysis options."""

from __future__ import annotations

import os
import socket
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ENV_VAR = "RAPPORTSOK_CONFIG"
DEFAULT = Path(__file__).resolve().parent.parent / "config.toml"
ENGINES = ("whoosh", "tantivy")  # the index engines (indexer/store/engine/registry.py)
AUTO = "auto"  # the engine chosen by the archive's size when an index is built anew
# Passages from which "auto" builds on tantivy: where Whoosh's search p95 through /api/search
# passes 150 ms (benchmarks/threshold.py; benchmarks/README.md).
TANTIVY_FROM = 10_000


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Analysis:
    """How text is analysed for the index; a change rebuilds it."""

    stemming: bool = True  # Swedish lemmas beside each word
    decompounding: bool = True  # compound parts as extra tokens (trygghets|medel)

    @classmethod
    def from_table(cls, table: dict, where: str) -> Analysis:
        known = {"stemming", "decompounding"}
        unknown = sorted(set(table) - known)
        if unknown:
            raise ConfigError(f"{where}: unknown [analysis] settings {', '.join(unknown)}; known: stemming, "
                              "decompounding")
        for name, value in table.items():
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: analysis.{name} must be true or false, not {value!r}")
        return cls(**table)


@dataclass(frozen=True)
class Config:
    path: Path | None
    corpus_dir: Path
    index_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    # Where users reach the app (absolute links in exports and feeds); None: the address served on.
    base_url: str | None = None
    proxies: int = 0  # proxies in front whose X-Forwarded-* headers are trusted; 0 trusts none
    analysis: Analysis = field(default_factory=Analysis)
    engine: str = AUTO  # or "whoosh", or "tantivy" for archives Whoosh cannot carry
    eval_distractors: Path | None = None
    eval_index_dir: Path | None = None
    eval_probes: Path | None = None  # words in no report: search must find nothing

    def public_url(self) -> str:
        """The configured base_url, else the address the server listens on (a wildcard address
        by the machine's name, which others can reach)."""
        if self.base_url:
            return self.base_url
        host = socket.gethostname() if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"


def load_config(path: str | Path | None = None) -> Config:
    """Read the config named by `path`, else $RAPPORTSOK_CONFIG, else ./config.toml, else the
    repository's own. Relative paths inside it are taken relative to the file."""
    candidates = [path, os.environ.get(ENV_VAR)] if path or os.environ.get(ENV_VAR) else [
        Path.cwd() / "config.toml", DEFAULT]
    chosen = next((Path(p) for p in candidates if p and Path(p).is_file()), None)
    if chosen is None:
        if path or os.environ.get(ENV_VAR):
            raise ConfigError(f"config file not found: {path or os.environ.get(ENV_VAR)}")
        base = Path.cwd()
        return Config(None, base / "corpus", base / "var" / "index")
    try:
        data = tomllib.loads(chosen.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{chosen}: not valid TOML ({exc})") from None
    base = chosen.resolve().parent
    server = data.get("server", {})
    port = server.get("port", 8000)
    if not isinstance(port, int) or not 0 < port < 65536:
        raise ConfigError(f"{chosen}: server.port must be a whole number from 1 to 65535, not {port!r}")
    engine = data.get("index", {}).get("engine", AUTO)
    if engine not in (AUTO, *ENGINES):
        raise ConfigError(f"{chosen}: index.engine must be one of {', '.join((AUTO, *ENGINES))}, not {engine!r}")
    base_url = server.get("base_url")
    if base_url is not None and (not isinstance(base_url, str) or not base_url.startswith(("http://", "https://"))):
        raise ConfigError(f"{chosen}: server.base_url must be an http:// or https:// address, not {base_url!r}")
    proxies = server.get("proxies", 0)
    if not isinstance(proxies, int) or isinstance(proxies, bool) or not 0 <= proxies <= 5:
        raise ConfigError(f"{chosen}: server.proxies must be a whole number from 0 to 5, not {proxies!r}")
    return Config(
        path=chosen,
        corpus_dir=base / data.get("corpus", {}).get("path", "corpus"),
        index_dir=base / data.get("index", {}).get("path", "var/index"),
        host=str(server.get("host", "127.0.0.1")),
        port=port,
        base_url=base_url.rstrip("/") if base_url else None,
        proxies=proxies,
        analysis=Analysis.from_table(data.get("analysis", {}), str(chosen)),
        engine=engine,
        eval_distractors=base / data["eval"]["distractors"] if data.get("eval", {}).get("distractors") else None,
        eval_index_dir=base / data.get("eval", {}).get("index", "var/eval-index"),
        eval_probes=base / data.get("eval", {}).get("probes", "tests/data/probe_words.txt"),
    )
