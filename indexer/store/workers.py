"""The processes a build works in beside the indexer: started by a fork server, so none inherits
the writer lock's file descriptor, and each ending when the indexer ends, however it ends."""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor


def pool(workers: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"),
                               initializer=_start, initargs=(os.getpid(), initializer, initargs))


def _start(indexer: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    _die_with(indexer)
    if initializer is not None:
        initializer(*initargs)


def _die_with(indexer: int) -> None:
    """The worker ends when the indexer ends (kill -9 too). A fork server's workers are its
    children, not the indexer's, and each holds the fork server's "alive" pipe open, so neither
    would notice by itself; the worker waits on the indexer's pidfd."""
    if not hasattr(os, "pidfd_open"):  # Linux only
        return

    def watch() -> None:
        try:
            select.select([os.pidfd_open(indexer)], [], [])
        finally:
            os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
