"""Run a few pieces of pure-Python work in forked processes (the GIL keeps threads serial).

Used for featurising large cohorts. Forking shares the inputs with the children for free (no
pickling of profiles); only the numeric results travel back through a pipe. On platforms without
``fork`` the pieces run one after another in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import TypeVar

__all__ = ["cpu_count", "in_processes"]

T = TypeVar("T")


def _child(fn: Callable[[int, int], T], lo: int, hi: int, conn: Connection) -> None:
    try:
        result = fn(lo, hi)
        conn.send(("ok", result))
    except ValueError as exc:
        conn.send(("value_error", str(exc)))
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def in_processes(fn: Callable[[int, int], T], ranges: Sequence[tuple[int, int]]) -> list[T]:
    """``[fn(lo, hi) for lo, hi in ranges]``, the first range here, the others in children.

    A ValueError raised by ``fn`` in a child is raised again here with its message; any other
    failure becomes a RuntimeError carrying the child's traceback.
    """
    if len(ranges) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(lo, hi) for lo, hi in ranges]
    ctx = multiprocessing.get_context("fork")
    children = []
    for lo, hi in ranges[1:]:
        receive, send = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_child, args=(fn, lo, hi, send), daemon=True)
        process.start()
        send.close()
        children.append((process, receive))
    try:
        results = [fn(*ranges[0])]
        for process, receive in children:
            try:
                status, payload = receive.recv()
            except EOFError:
                raise RuntimeError(f"worker process {process.pid} died") from None
            if status == "value_error":
                raise ValueError(payload)
            if status == "error":
                raise RuntimeError(f"worker process failed:\n{payload}")
            results.append(payload)
        return results
    finally:
        for process, receive in children:
            receive.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()


def cpu_count() -> int:
    """Usable CPU count (affinity-aware where the platform tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
