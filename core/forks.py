"""Running one function over shares of a job in forked processes, for CPU-bound work on data already in
memory (a parsed sheet): the children see the parent's memory as it was at the fork, without copying it.

A child must not touch the parent's database connection (it would talk over the parent's socket): every
query in a child raises. The child sends back what the function returned, pickled, and leaves by
``os._exit`` so that nothing of the parent (connections, atexit hooks, Celery's handlers) runs twice.
"""

import gc
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


class ForkedError(RuntimeError):
    """A child failed with an exception that could not be sent back as it was."""


def _refuse_queries(execute, sql, params, many, context):
    raise ForkedError("a forked share must not query the database: load what it needs before the fork")


def _child(fn: Callable[[int], T], part: int, out: int) -> None:
    try:
        try:
            with _no_queries():
                payload = pickle.dumps((True, fn(part)))
        except BaseException as exc:  # sent to the parent, raised there
            try:
                payload = pickle.dumps((False, exc))
            except Exception:
                payload = pickle.dumps((False, ForkedError("".join(traceback.format_exception(exc)))))
        with os.fdopen(out, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


class _no_queries:
    def __enter__(self):
        self.wrappers = [connections[alias].execute_wrapper(_refuse_queries) for alias in connections]
        for wrapper in self.wrappers:
            wrapper.__enter__()

    def __exit__(self, *exc):
        for wrapper in reversed(self.wrappers):
            wrapper.__exit__(*exc)


def in_forks(fn: Callable[[int], T], parts: int) -> list[T]:
    """``[fn(0), fn(1), …, fn(parts - 1)]``: share 0 runs here, the others in forked children at once.

    An exception of any share is raised here (the first one by share number), after every child is gone."""
    if parts <= 1 or not hasattr(os, "fork"):
        return [fn(part) for part in range(max(parts, 1))]
    children: list[tuple[int, int]] = []
    gc.collect()
    gc.freeze()  # keeps the collector from touching (and so copying) the parent's objects in the children
    try:
        for part in range(1, parts):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                _child(fn, part, write_end)
            os.close(write_end)
            children.append((pid, read_end))
        results: list[tuple[bool, object]] = []
        try:
            results.append((True, fn(0)))
        except BaseException as exc:
            for pid, _read_end in children:
                os.kill(pid, signal.SIGKILL)
            results.append((False, exc))
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
            _pid, status = os.waitpid(pid, 0)
            if data:
                results.append(pickle.loads(data))  # noqa: S301 - written by our own child
            elif not results[0][0]:
                results.append((True, None))  # killed above: the first share's error is raised
            else:
                results.append(
                    (False, ForkedError(f"a forked share ended without an answer (status {status})"))
                )
    finally:
        gc.unfreeze()
    for ok, value in results:
        if not ok:
            raise value
    return [value for _ok, value in results]
