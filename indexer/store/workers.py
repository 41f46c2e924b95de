"""The processes a build works in beside the indexer: started by a fork server, so none inherits
the writer lock's file descriptor, and each ending when the indexer ends, however it ends; and
the child each file is read in, within limits on memory, CPU time and wall time."""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import pickle
import resource
import select
import signal
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


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


@dataclass(frozen=True)
class Limits:
    """What reading one file may take; a file that needs more is named with the reason and skipped.
    The time is a base plus a share per PDF page or per block of text, so an archive's long report
    is read and a small file that explodes (52 s and 3 GB for 16 KB have been seen) is not."""

    memory: int = 2 << 30  # bytes of address space
    cpu: float = 30.0  # seconds, plus:
    cpu_per_page: float = 1.0  # per PDF page, or per TEXT_BLOCK bytes of text
    pages: int = 2000
    wall_factor: float = 2.0  # wall time: this times the CPU time (OCR runs in processes of its own)

    def cpu_for(self, pages: int | None, size: int) -> float:
        return self.cpu + self.cpu_per_page * (pages if pages is not None else size / TEXT_BLOCK)


TEXT_BLOCK = 20_000  # bytes of text read at most a second of CPU time from the limit (about 200 KB are read in one)


MEMORY_EXIT = 3  # the child's exit code when its memory ran out


class LimitExceeded(Exception):
    """A file's reading went beyond its limits; the message says which."""


def run_limited(fn: Callable[[T], R], arg: T, cpu: float, memory: int, wall: float) -> R:
    """`fn(arg)` in a child process with limits on its address space, CPU time and wall time; its
    result comes back pickled. The child names no lock (its inherited descriptors are closed) and
    ends with its parent."""
    read, write = os.pipe()
    with warnings.catch_warnings():  # the child only reads one file and leaves with os._exit
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.setpgid(0, 0)  # OCR's tesseract is killed with it
            os.closerange(3, write)
            os.closerange(write + 1, 1 << 16)
            _die_with(os.getppid())
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(cpu), math.ceil(cpu) + 5))
            data = pickle.dumps(fn(arg), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            code = 0
        except MemoryError:
            code = MEMORY_EXIT
        finally:
            os._exit(code)
    os.close(write)
    chunks: list[bytes] = []
    deadline = time.monotonic() + wall
    timed_out = False
    with os.fdopen(read, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([pipe], [], [], left)[0]:
                timed_out = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                break
            chunk = pipe.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        raise LimitExceeded(f"reading it took longer than the limit of {wall:.0f} s")
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        raise LimitExceeded(f"reading it took more than the limit of {cpu:.0f} s of CPU time")
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == MEMORY_EXIT:
        raise LimitExceeded(f"reading it needed more than the limit of {memory >> 20} MB of memory")
    if os.WIFSIGNALED(status) or os.WEXITSTATUS(status) != 0 or not chunks:
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {os.WEXITSTATUS(status)}"
        raise LimitExceeded(f"the process reading it ended unexpectedly ({how})")
    return pickle.loads(b"".join(chunks))
