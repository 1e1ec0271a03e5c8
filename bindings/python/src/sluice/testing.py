"""Test support over sluice_mock.h. UNSTABLE, as that header: not covered by
sluice's compatibility promise; it may change in any release.

- MockCluster: librdkafka's in-process Kafka (the real protocol on a loopback
  port) with fault injection. Close every Engine using it before the cluster.
- create_topic() and Producer: topic creation and a simple producer
  (acks=all) that work against any bootstrap address, mock or real, so tests
  need no other Kafka client.
"""
from __future__ import annotations

import threading
from ctypes import byref, c_char_p, c_void_p, cast
from types import TracebackType
from typing import Iterable, List, Optional, Tuple, Type, Union

from ._ffi import HeaderStruct, check, closed_error, lib, seconds_to_ms, to_bytes

__all__ = ["MockCluster", "Producer", "create_topic"]

BytesLike = Union[bytes, bytearray, memoryview, str]
Header = Tuple[Union[str, bytes], Optional[BytesLike]]


def _finite_ms(timeout: float, what: str) -> int:
    ms = seconds_to_ms(timeout, what=what)
    if ms < 0:
        raise ValueError(f"{what} must be finite")
    return ms


class MockCluster:
    """An in-process mock Kafka cluster of ``brokers`` brokers (1..16).
    ``with MockCluster() as mc: ... mc.bootstraps ...``. Methods are not
    meant to be called concurrently with ``close()``."""

    def __init__(self, brokers: int = 1) -> None:
        self._ptr: Optional[int] = None
        out = c_void_p()
        check(lib.sluice_mock_cluster_new(brokers, byref(out)))
        self._ptr = out.value
        self.bootstraps: str = lib.sluice_mock_cluster_bootstraps(self._ptr).decode("utf-8")
        """The bootstrap address list ("127.0.0.1:port,...")."""

    def _get(self) -> int:
        if self._ptr is None:
            raise closed_error("the mock cluster")
        return self._ptr

    def create_topic(self, topic: str, partitions: int = 1) -> None:
        """Creates ``topic`` with ``partitions`` partitions (1..1000)."""
        check(lib.sluice_mock_topic_create(self._get(), topic.encode("utf-8"), partitions))

    def push_request_errors(self, api_key: int, count: int, error_code: int) -> None:
        """Makes the next ``count`` requests of Kafka API ``api_key`` (1 =
        Fetch, 8 = OffsetCommit, ...) fail with Kafka error ``error_code``, in
        every broker."""
        check(lib.sluice_mock_push_request_errors(self._get(), api_key, count, error_code))

    def set_broker_up(self, broker_id: int, up: bool) -> None:
        """Takes broker ``broker_id`` (1-based) down or brings it back up."""
        check(lib.sluice_mock_broker_set_up(self._get(), broker_id, 1 if up else 0))

    def close(self) -> None:
        """Stops and frees the cluster (close engines using it first).
        Idempotent."""
        ptr, self._ptr = self._ptr, None
        if ptr:
            lib.sluice_mock_cluster_destroy(ptr)

    def __del__(self) -> None:
        if getattr(self, "_ptr", None):
            self.close()

    def __enter__(self) -> "MockCluster":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.close()


def create_topic(bootstrap: str, topic: str, partitions: int = 1, timeout: float = 30.0) -> None:
    """Creates ``topic`` (replication factor 1) through the admin API of the
    cluster at ``bootstrap``, waiting up to ``timeout`` seconds. An existing
    topic is not an error. The GIL is released while waiting."""
    check(lib.sluice_topic_create(bootstrap.encode("utf-8"), topic.encode("utf-8"), partitions,
                                  _finite_ms(timeout, "timeout")))


class Producer:
    """A simple producer (acks=all, no idempotence) for tests and demos.
    ``with Producer(bootstrap) as p: p.send(...); p.flush()``. Calls are
    serialised, so one producer may be shared by threads."""

    def __init__(self, bootstrap: str) -> None:
        self._ptr: Optional[int] = None
        self._lock = threading.Lock()
        out = c_void_p()
        check(lib.sluice_producer_new(bootstrap.encode("utf-8"), byref(out)))
        self._ptr = out.value

    def send(self, topic: str, partition: int = -1, key: Optional[BytesLike] = None,
             value: Optional[BytesLike] = None, headers: Optional[Iterable[Header]] = None,
             timestamp_ms: int = 0) -> None:
        """Queues one record. ``partition`` -1 lets the key hash choose; key or
        value None is a null key/value; ``headers`` are (name, value) pairs
        (value None = a null header value); ``timestamp_ms`` 0 = now. All bytes
        are copied."""
        k = to_bytes(key, "key")
        v = to_bytes(value, "value")
        keep: List[Optional[bytes]] = []  # keeps header bytes alive during the call
        hlist = list(headers) if headers is not None else []
        harray = (HeaderStruct * len(hlist))() if hlist else None
        for i, (name, hvalue) in enumerate(hlist):
            nb = name.encode("utf-8") if isinstance(name, str) else bytes(name)
            vb = to_bytes(hvalue, "header value")
            keep.append(nb)
            keep.append(vb)
            assert harray is not None
            h = harray[i]
            h.name = _address(nb)
            h.name_len = len(nb)
            h.value = _address(vb) if vb is not None else None
            h.value_len = len(vb) if vb is not None else 0
        with self._lock:
            check(lib.sluice_producer_send(
                self._get(), topic.encode("utf-8"), partition, k, len(k) if k is not None else 0,
                v, len(v) if v is not None else 0, harray, len(hlist), timestamp_ms))
        del keep

    def flush(self, timeout: float = 30.0) -> None:
        """Waits up to ``timeout`` seconds until every queued record is
        acknowledged: SluiceTimeoutError otherwise, KafkaError if a delivery
        failed. The GIL is released while waiting."""
        with self._lock:
            check(lib.sluice_producer_flush(self._get(), _finite_ms(timeout, "timeout")))

    def _get(self) -> int:
        if self._ptr is None:
            raise closed_error("the producer")
        return self._ptr

    def close(self) -> None:
        """Flushes (up to 10 s) and frees. Idempotent."""
        with self._lock:
            ptr, self._ptr = self._ptr, None
        if ptr:
            lib.sluice_producer_destroy(ptr)

    def __del__(self) -> None:
        if getattr(self, "_ptr", None):
            self.close()

    def __enter__(self) -> "Producer":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.close()


def _address(b: bytes) -> int:
    """The address of a bytes object's buffer (valid while ``b`` is alive)."""
    addr = cast(c_char_p(b), c_void_p).value
    assert addr is not None
    return addr
