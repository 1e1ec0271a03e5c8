"""Engine, Batch and Record: pull mode over sluice_engine_* and sluice_batch_*."""
from __future__ import annotations

import asyncio
import ctypes
import enum
import json
import struct
import threading
import time
import weakref
from ctypes import POINTER, byref, c_int32, c_uint64, c_void_p
from types import TracebackType
from typing import (
    Any,
    AsyncIterator,
    Dict,
    Iterator,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Tuple,
    Type,
    Union,
)

from . import _codes
from ._errors import Error
from ._ffi import (
    HeaderStruct,
    RecordStruct,
    check,
    closed_error,
    lib,
    memory,
    seconds_to_ms,
    take_error,
)

ConfigValue = Union[str, bool, int, float, List[Any], Dict[str, Any]]

# Longest single wait inside poll(): between slices Python runs its signal
# handlers, so Ctrl-C interrupts a poll(None) promptly.
_POLL_SLICE_MS = 200

_string_at = ctypes.string_at
_monotonic = time.monotonic


class TimestampType(enum.IntEnum):
    """A record's timestamp type (SLUICE_TIMESTAMP_*), as in Kafka."""

    NONE = _codes.TIMESTAMP_NONE
    CREATE_TIME = _codes.TIMESTAMP_CREATE_TIME
    LOG_APPEND_TIME = _codes.TIMESTAMP_LOG_APPEND_TIME


_TS_TYPES: Dict[int, TimestampType] = {int(t): t for t in TimestampType}


class Record(NamedTuple):
    """One Kafka record of a batch. A copy: it stays valid after the batch is
    closed. ``key``/``value`` are None for a null key / a null value (a
    tombstone), which is not the same as ``b""``. ``headers`` keep the
    produced order and duplicates; a header value is None when null. Header
    names are decoded as UTF-8 (invalid bytes as surrogate escapes)."""

    topic: str
    partition: int
    offset: int
    timestamp: int  # epoch milliseconds; -1 when the broker gave none
    timestamp_type: TimestampType
    key: Optional[bytes]
    value: Optional[bytes]
    headers: List[Tuple[str, Optional[bytes]]]


def _config_text(key: str, value: ConfigValue) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, dict)):  # filter.patterns as Python data
        return json.dumps(value, separators=(",", ":"))
    raise TypeError(f"config value for {key!r} must be str, bool, int, float, list or dict, "
                    f"not {type(value).__name__}")


def _make_conf(config: Mapping[str, ConfigValue]) -> int:
    out = c_void_p()
    check(lib.sluice_conf_new(byref(out)))
    conf = out.value
    assert conf
    try:
        for key, value in config.items():
            if not isinstance(key, str):
                raise TypeError(f"config keys must be str, not {type(key).__name__}")
            check(lib.sluice_conf_set(conf, key.encode("utf-8"),
                                      _config_text(key, value).encode("utf-8")))
    except BaseException:
        lib.sluice_conf_destroy(conf)
        raise
    return conf


class _EngineHandle:
    """Owns the sluice_engine_t*. Calls hold a "use"; close() stops the engine
    and the last use to end destroys it, so closing from one thread while
    another is blocked in poll() never frees the engine under that call (and
    never waits for it, so close() in a signal handler cannot deadlock)."""

    __slots__ = ("ptr", "lock", "users", "closing", "__weakref__")

    def __init__(self, ptr: int) -> None:
        self.ptr: Optional[int] = ptr
        # Re-entrant, so that stop()/close() in a signal handler (which runs on
        # the main thread, possibly inside one of these sections) cannot deadlock.
        self.lock = threading.RLock()
        self.users = 0
        self.closing = False

    def acquire(self) -> int:
        with self.lock:
            if self.closing or self.ptr is None:
                raise closed_error("the engine")
            self.users += 1
            return self.ptr

    def release(self) -> None:
        with self.lock:
            self.users -= 1
            ptr = self._take_if_done()
        if ptr:
            lib.sluice_engine_destroy(ptr)

    def _take_if_done(self) -> Optional[int]:
        if self.closing and self.users == 0 and self.ptr is not None:
            ptr, self.ptr = self.ptr, None
            return ptr
        return None

    @staticmethod
    def stop(ptr: int, timeout_ms: int) -> None:
        # Concurrent stops are fine in C: one stops, the others wait for it.
        check(lib.sluice_engine_stop(ptr, timeout_ms))

    def close(self, timeout_ms: int) -> None:
        """Stops (swallowing TIMEOUT: unacked batches come again later) and
        frees once no call is running. Idempotent; also the finalizer."""
        try:
            ptr = self.acquire()
        except _codes.InvalidStateError:
            return
        try:
            self.stop(ptr, timeout_ms)
        except _codes.SluiceTimeoutError:
            pass
        finally:
            with self.lock:
                self.closing = True
                self.users -= 1
                ptr2 = self._take_if_done()
            if ptr2:
                lib.sluice_engine_destroy(ptr2)


class Engine:
    """A running sluice engine in pull mode: it joins the consumer group,
    subscribes to ``topic`` and hands out batches to ``poll()``.

    ``config`` maps sluice's keys (docs/CONFIGURATION.md) to values; values may
    be str, bool (``"true"``/``"false"``), int, float, or for
    ``filter.patterns`` a list/dict (sent as JSON). Keys starting with
    ``kafka.`` go to librdkafka. Each key is validated when set: an unknown key
    raises UnknownKeyError, a bad value InvalidValueError (or
    InvalidPatternError), with ``.key`` naming it.

    Threads: every method may be called from any thread, concurrently
    (``close()`` included: it frees the engine only after calls in progress
    return). Several threads may poll the same engine. Use it as a context
    manager, or call ``close()``; a forgotten engine is closed by its
    finalizer, at the latest at interpreter exit.

    Push mode (a handler called by sluice's worker threads) is not offered in
    Python: those calls would come from threads Python does not own and would
    all contend for the GIL. Poll on your own threads instead.
    """

    def __init__(self, config: Mapping[str, ConfigValue]) -> None:
        conf = _make_conf(config)
        try:
            out = c_void_p()
            check(lib.sluice_engine_new(conf, byref(out)))
        finally:
            lib.sluice_conf_destroy(conf)
        assert out.value
        self._h = _EngineHandle(out.value)
        self._finalizer = weakref.finalize(self, self._h.close, 10000)

    # -- lifecycle -------------------------------------------------------

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.close()

    def stop(self, timeout: Optional[float] = 10.0, *, wait: bool = True) -> None:
        """Stops the engine: hands out nothing new; batches already out may
        still be acked or failed for up to ``timeout`` seconds (None: no
        limit); then every
        acknowledged offset is committed and the consumer leaves the group.
        Raises SluiceTimeoutError if batches were still unacknowledged at the
        deadline (the engine is stopped all the same; those batches were not
        committed and will be delivered again). A second call does nothing.
        Pollers (and iteration) end with StoppedError / StopIteration.

        ``wait=False`` returns at once and stops on a helper thread (without
        raising). Use it where the caller itself still holds a batch to ack,
        above all in a signal handler: it runs on the thread that is
        processing the batch, so a waiting stop() would wait for itself until
        the timeout. ``close()`` waits for such a stop to finish."""
        ms = seconds_to_ms(timeout)
        ptr = self._h.acquire()
        if not wait:
            threading.Thread(target=self._stop_and_release, args=(ptr, ms),
                             name="sluice-stop", daemon=True).start()
            return
        try:
            self._h.stop(ptr, ms)
        finally:
            self._h.release()

    def _stop_and_release(self, ptr: int, ms: int) -> None:
        try:
            self._h.stop(ptr, ms)
        except Error:  # TIMEOUT: unacked batches come again later
            pass
        finally:
            self._h.release()

    def close(self, timeout: Optional[float] = 10.0) -> None:
        """Stops the engine (as ``stop(timeout)``, without raising for
        unacknowledged batches) and frees it. Idempotent. Batches still alive
        stay readable; acking them raises StoppedError."""
        ms = seconds_to_ms(timeout)
        self._finalizer.detach()
        self._h.close(ms)

    @property
    def closed(self) -> bool:
        return self._h.ptr is None or self._h.closing

    # -- pull ------------------------------------------------------------

    def poll(self, timeout: Optional[float] = None) -> Optional["Batch"]:
        """Waits up to ``timeout`` seconds (None: until a batch comes; 0: don't
        wait) for the next batch. Returns a Batch the caller owns, or None when
        none arrived in time. The GIL is released while waiting. The next batch
        of the same partition is held back until this one is acked or failed.
        Raises StoppedError once the engine is stopped."""
        ms = -1 if timeout is None else seconds_to_ms(timeout)
        h = self._h
        ptr = h.acquire()
        try:
            out = c_void_p()
            ref = byref(out)
            if 0 <= ms <= _POLL_SLICE_MS:
                err = _engine_poll(ptr, ms, ref)
                if err:
                    raise take_error(err)
            else:
                deadline = None if ms < 0 else _monotonic() + ms / 1000.0
                slice_ms = _POLL_SLICE_MS
                while True:
                    if deadline is not None:
                        left = deadline - _monotonic()
                        if left <= 0:
                            break
                        slice_ms = min(_POLL_SLICE_MS, int(left * 1000) + 1)
                    err = _engine_poll(ptr, slice_ms, ref)
                    if err:
                        raise take_error(err)
                    if out.value:
                        break
        finally:
            h.release()
        b = out.value
        return Batch(b) if b else None

    def __iter__(self) -> Iterator["Batch"]:
        """Yields batches until the engine is stopped (from another thread, a
        signal handler or the loop body)."""
        while True:
            try:
                batch = self.poll(None)
            except (_codes.StoppedError, _codes.InvalidStateError):
                return
            if batch is not None:
                yield batch

    def fileno(self) -> int:
        """The engine's wake-up file descriptor (Linux eventfd): it becomes
        readable when a batch may be ready. Then call ``poll(0)`` until it
        returns None, which also clears it. Owned by the engine: do not read
        or close it. Raises InvalidStateError where there is no eventfd."""
        ptr = self._h.acquire()
        try:
            fd = c_int32()
            check(lib.sluice_engine_wakeup_fd(ptr, byref(fd)))
            return fd.value
        finally:
            self._h.release()

    async def batches(self) -> AsyncIterator["Batch"]:
        """``async for batch in engine.batches():`` on the running asyncio
        loop, without threads: waits on the wake-up fd (loop.add_reader) and
        drains with ``poll(0)``. Ends when the engine is stopped. Needs a loop
        with add_reader (the default selector loop on Linux)."""
        loop = asyncio.get_running_loop()
        fd = self.fileno()
        # Hold a use for the whole iteration: a close() from another thread then
        # defers freeing the engine (and closing the fd registered with the loop)
        # until this generator is done; its stop() wakes the fd, and the next
        # poll(0) ends the iteration.
        self._h.acquire()
        try:
            while True:
                try:
                    batch = self.poll(0)
                except (_codes.StoppedError, _codes.InvalidStateError):
                    return
                if batch is not None:
                    yield batch
                    continue
                ready = loop.create_future()

                def wake(fut: "asyncio.Future[None]" = ready) -> None:
                    if not fut.done():
                        fut.set_result(None)

                # Registered only while waiting: the fd is level-triggered and
                # stays readable until the next poll(), which would spin the loop.
                loop.add_reader(fd, wake)
                try:
                    await ready
                finally:
                    loop.remove_reader(fd)
        finally:
            self._h.release()

    def __aiter__(self) -> AsyncIterator["Batch"]:
        return self.batches()

    # -- observability ---------------------------------------------------

    def stats(self) -> Dict[str, Any]:
        """The engine's counters (Lambda's metric names: PolledEventCount,
        OffsetLag, ...) as a dict, from sluice_engine_stats's JSON."""
        ptr = self._h.acquire()
        try:
            out = c_void_p()
            n = c_uint64()
            check(lib.sluice_engine_stats(ptr, byref(out), byref(n)))
        finally:
            self._h.release()
        addr = out.value
        assert addr is not None
        try:
            text = _string_at(addr, n.value)
        finally:
            lib.sluice_free(addr)
        result: Dict[str, Any] = json.loads(text)
        return result

    def __repr__(self) -> str:
        return f"<sluice.Engine {'closed' if self.closed else 'open'}>"


_RecordArray = POINTER(RecordStruct)
_HeaderArray = POINTER(HeaderStruct)
# The same layouts for struct.iter_unpack (native sizes and alignment).
_RECORD = struct.Struct("@qqPPIIiiII")
_HEADER = struct.Struct("@PPII")
assert _RECORD.size == ctypes.sizeof(RecordStruct) and _HEADER.size == ctypes.sizeof(HeaderStruct)


_RECORD_SIZE = _RECORD.size
# The address a ctypes pointer holds, without ctypes.cast (a Python-level
# function): read the pointer object's own bytes as a void*.
_c_void_p_from_buffer = c_void_p.from_buffer

# The C functions of the per-batch path, looked up once.
_engine_poll = lib.sluice_engine_poll
_batch_destroy = lib.sluice_batch_destroy
_batch_ack = lib.sluice_batch_ack
_batch_fail = lib.sluice_batch_fail
_batch_records = lib.sluice_batch_records
_batch_headers = lib.sluice_batch_headers
_batch_topic = lib.sluice_batch_topic


def _topic_text(raw: bytes, _cache: Dict[bytes, str] = {}) -> str:
    """The topic's str, decoded once per distinct topic (an engine has one)."""
    t = _cache.get(raw)
    if t is None:
        t = raw.decode("utf-8", "surrogateescape")
        if len(_cache) < 1024:
            _cache[raw] = t
    return t


class Batch:
    """One batch of records of one partition, handed out by ``Engine.poll``.

    Complete it with ``ack()`` (its offsets get committed) or ``fail()`` (the
    same records come again after a backoff, with ``attempt`` + 1). Then close
    it (``close()``, a ``with`` block, or just dropping it: the finalizer
    closes it). A batch closed without ack or fail counts as FAILED: it will be
    offered again — a ``with`` block does not ack for you.

    Properties read from the batch stay available after ``ack()``; after
    ``close()`` only values already read (they are cached) remain, everything
    else raises InvalidStateError. A batch may be passed to and completed on
    another thread; its methods are safe to call concurrently.
    """

    __slots__ = ("_ptr", "_lock", "_event", "_records", "_topic", "_partition", "_attempt",
                 "_flags")

    def __init__(self, ptr: int) -> None:
        self._ptr: Optional[int] = ptr
        self._lock = threading.Lock()
        self._event: Optional[bytes] = None
        self._records: Optional[List[Record]] = None
        self._topic: Optional[str] = None
        self._partition: Optional[int] = None
        self._attempt: Optional[int] = None
        self._flags: Optional[int] = None

    def _get(self) -> int:
        ptr = self._ptr
        if ptr is None:
            raise closed_error("the batch")
        return ptr

    # -- completion --------------------------------------------------------

    def ack(self) -> None:
        """Marks the batch processed: its offsets (and those of records
        filtered out before it) get committed. Raises AlreadyCompletedError if
        acked or failed before, RevokedError if its partition was reassigned
        meanwhile, StoppedError after the engine stopped (in both cases it will
        be delivered again)."""
        with self._lock:
            err = _batch_ack(self._get())
        if err:
            raise take_error(err)

    def fail(self) -> None:
        """Marks the batch failed: the same records are offered again, in the
        same order, after ``retry.backoff.ms``. Errors as ``ack()``."""
        with self._lock:
            err = _batch_fail(self._get())
        if err:
            raise take_error(err)

    def close(self) -> None:
        """Frees the batch; not acked or failed before, it counts as failed.
        Idempotent."""
        with self._lock:
            ptr, self._ptr = self._ptr, None
        if ptr:
            _batch_destroy(ptr)

    def __del__(self, _destroy: Any = _batch_destroy) -> None:
        ptr = getattr(self, "_ptr", None)
        if ptr:
            self._ptr = None
            _destroy(ptr)

    def __enter__(self) -> "Batch":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._ptr is None

    # -- contents -------------------------------------------------------------

    @property
    def event(self) -> bytes:
        """The Lambda Kafka event JSON of this batch (docs/EVENT.md), exactly
        as the C API produces it (encoded on first access, then cached)."""
        ev = self._event
        if ev is None:
            with self._lock:
                ptr = self._get()
                data = c_void_p()
                n = c_uint64()
                err = lib.sluice_batch_event(ptr, byref(data), byref(n))
                if err:
                    raise take_error(err)
                addr = data.value
                ev = self._event = _string_at(addr, n.value) if addr and n.value else b""
        return ev

    @property
    def records(self) -> List[Record]:
        """The records in offset order, as Record copies (cached: the same
        list on each access)."""
        recs = self._records
        if recs is None:
            with self._lock:
                recs = self._records = self._read_records(self._get())
        return recs

    def __len__(self) -> int:
        """The number of records (without building the Record copies)."""
        recs = self._records
        if recs is not None:
            return len(recs)
        with self._lock:
            return self._record_views(self._get())[1]

    @staticmethod
    def _record_views(ptr: int) -> Tuple[Any, int]:
        """The batch's record view array and its length (one C call)."""
        rp = _RecordArray()
        count = c_uint64()
        err = _batch_records(ptr, byref(rp), byref(count))
        if err:
            raise take_error(err)
        return rp, count.value

    def _read_records(self, ptr: int) -> List[Record]:
        rp, n = self._record_views(ptr)
        if n == 0:
            return []
        topic = self._topic
        if topic is None:
            topic = self._topic = _topic_text(_batch_topic(ptr))
        # The views array is unpacked in C straight from the batch's memory
        # (struct.iter_unpack over a memoryview: no ctypes field access, no
        # intermediate copy), and each record is one tuple built by a
        # comprehension. Keys and values are copied out with
        # memory[addr:addr + n].tobytes(), the cheapest copy without a
        # foreign call.
        addr = _c_void_p_from_buffer(rp).value
        mem = memory
        views = _RECORD.iter_unpack(mem[addr:addr + n * _RECORD_SIZE])
        ts_types = _TS_TYPES
        new = tuple.__new__
        rec = Record
        out: List[Record] = [
            new(rec, (topic, part, offset, ts, ts_types.get(tt, tt),
                      mem[k:k + klen].tobytes() if k else None,
                      mem[v:v + vlen].tobytes() if v else None,
                      []))
            for offset, ts, k, v, klen, vlen, part, tt, hfirst, hcount in views]
        # Headers in a second pass over the views, only when the batch has
        # any: most batches have none, and their records then cost no
        # header work at all.
        headers = self._read_headers(ptr)
        if not headers:
            return out
        for i, (_, _, _, _, _, _, _, _, hfirst, hcount) in enumerate(
                _RECORD.iter_unpack(mem[addr:addr + n * _RECORD_SIZE])):
            if hcount:
                hs = out[i][7]
                for hn, hv, hnlen, hvlen in headers[hfirst:hfirst + hcount]:
                    hs.append((mem[hn:hn + hnlen].tobytes().decode("utf-8", "surrogateescape"),
                               mem[hv:hv + hvlen].tobytes() if hv else None))
        return out

    @staticmethod
    def _read_headers(ptr: int) -> List[Tuple[int, int, int, int]]:
        hp = _HeaderArray()
        count = c_uint64()
        err = _batch_headers(ptr, byref(hp), byref(count))
        if err:
            raise take_error(err)
        n = count.value
        if n == 0:
            return []
        addr = _c_void_p_from_buffer(hp).value
        return list(_HEADER.iter_unpack(memory[addr:addr + n * _HEADER.size]))

    @property
    def topic(self) -> str:
        t = self._topic
        if t is None:
            with self._lock:
                t = self._topic = _topic_text(_batch_topic(self._get()))
        return t

    @property
    def partition(self) -> int:
        p = self._partition
        if p is None:
            with self._lock:
                p = self._partition = int(lib.sluice_batch_partition(self._get()))
        return p

    @property
    def attempt(self) -> int:
        """How many times this batch was offered before (0 on first delivery)."""
        a = self._attempt
        if a is None:
            with self._lock:
                a = self._attempt = int(lib.sluice_batch_attempt(self._get()))
        return a

    @property
    def flags(self) -> int:
        """SLUICE_BATCH_* bits (sluice.BATCH_OVERSIZED, sluice.BATCH_RETRY)."""
        f = self._flags
        if f is None:
            with self._lock:
                f = self._flags = int(lib.sluice_batch_flags(self._get()))
        return f

    @property
    def oversized(self) -> bool:
        """One record whose event alone passes ``batch.max.bytes``."""
        return bool(self.flags & _codes.BATCH_OVERSIZED)

    @property
    def retry(self) -> bool:
        """Offered before and failed."""
        return bool(self.flags & _codes.BATCH_RETRY)

    def __repr__(self) -> str:
        if self._ptr is None:
            return "<sluice.Batch closed>"
        return f"<sluice.Batch {self.topic}-{self.partition} attempt={self.attempt}>"
