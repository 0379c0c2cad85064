"""The reading side in a second process: on two cores the two halves of an
import overlap. The reader is a fork of the importing process and never
outlives it: the kernel kills it when its parent dies (Linux), it checks
its parent while it waits, and the importing side ends it in a `finally`."""

import gc
import logging
import multiprocessing
import os
import queue as queues
from collections.abc import Callable, Generator, Iterable

from django.utils.translation import gettext as _

from xinyong.core.env import env_int
from xinyong.core.errors import ApplicationError
from xinyong.core.processes import die_with_parent, parent_alive
from xinyong.ingest.pipeline.reading import Part, Reading, read_and_validate

logger = logging.getLogger(__name__)

# How often each side looks whether the other is still there while it waits.
_CHECK_EVERY = 1.0  # seconds


def use_worker_process(size: int, *, isolate: bool = False) -> bool:
    """A second process pays off for large files, and only where fork exists.
    `isolate`: whatever the size, for a file whose reader could kill the
    process that reads it (old .xls through calamine: a hostile sheet makes
    it allocate past memory and abort); the import then fails, the worker lives."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    threshold = env_int("XINYONG_INGEST_PARALLEL_BYTES", 4 * 1024 * 1024)
    return isolate or (size >= threshold and threshold >= 0)


def _put(queue: "multiprocessing.Queue[object]", item: object, parent: int) -> None:
    """Hand `item` over, waiting while the queue is full, but not for a parent
    that is gone (its orphan would otherwise hold the file and its memory)."""
    while True:
        try:
            queue.put(item, timeout=_CHECK_EVERY)
            return
        except queues.Full:
            if not parent_alive(parent):
                os._exit(1)


def _worker(
    reading: Reading,
    rows_factory: Callable[[], Iterable[list]],
    queue: "multiprocessing.Queue[object]",
    parent: int,
) -> None:
    """The reading side in a forked process: chunks go through a bounded queue
    (constant memory); a failure goes as ("error", (code, message))."""
    die_with_parent(parent)
    gc.disable()
    try:
        # Finish a chunk here only while the writing side has chunks queued
        # (it is the slower side); when the queue is empty it waits, and
        # finishes the chunks itself.
        for part in read_and_validate(reading, rows_factory(), lambda: not queue.empty()):
            _put(queue, ("part", part), parent)
        _put(queue, ("end", None), parent)
    except ApplicationError as exc:
        _put(queue, ("error", (exc.code, exc.message)), parent)
    except Exception as exc:
        logger.exception("reading worker")
        _put(queue, ("error", ("worker_failed", f"{type(exc).__name__}: {exc}")), parent)


def parallel_parts(
    reading: Reading, rows_factory: Callable[[], Iterable[list]]
) -> Generator[Part, None, None]:
    """What `read_and_validate` yields, read and validated in a forked process
    while this one writes. The process ends with this generator, however it
    ends (exhausted, failed, closed)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=4)
    process = context.Process(
        target=_worker, args=(reading, rows_factory, queue, os.getpid()), daemon=True
    )
    process.start()
    try:
        while True:
            try:
                kind, payload = queue.get(timeout=_CHECK_EVERY)
            except queues.Empty:
                if not process.is_alive() and queue.empty():
                    logger.error("reading process ended with exit code %s", process.exitcode)
                    raise ApplicationError(
                        "reader_died",
                        _(
                            "读取文件的进程意外中止，本批次未导入任何数据。文件可能已损坏或过大，"
                            "请用 Excel 打开后另存为 .xlsx 再上传"
                        ),
                    ) from None
                continue
            if kind == "part":
                yield payload
            elif kind == "end":
                return
            else:
                code, message = payload
                if code == "worker_failed":
                    raise RuntimeError(message)
                raise ApplicationError(code, message)
    finally:
        if process.is_alive():
            process.terminate()
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()
        queue.close()
        queue.cancel_join_thread()
