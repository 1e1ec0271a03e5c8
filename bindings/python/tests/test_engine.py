"""Engine behaviour on the mock cluster and on the real broker (the `cluster`
fixture runs each test on both)."""
from __future__ import annotations

import base64
import json
import threading
import time

from typing import Any, Dict, List

import pytest

import sluice

from conftest import Cluster, expect_quiet, pull, unique

KNOWN: List[Dict[str, Any]] = [
    {"key": b"key-1", "value": b"Hello, this is a test.", "timestamp_ms": 1545084650987,
     "headers": [("headerKey", b"headerValue"), ("dup", b"\x00\xff"), ("dup", None)]},
    {"key": None, "value": b"no key", "timestamp_ms": 1545084650988},
    {"key": b"", "value": b"", "timestamp_ms": 1545084650989},
    {"key": b"gone", "value": None, "timestamp_ms": 1545084650990},
]


def test_consume_known_records(cluster: Cluster) -> None:
    topic = cluster.topic("known")
    cluster.produce(topic, KNOWN)
    cfg = cluster.config(topic, unique("g"), batch__window__ms=2000, batch__size=100)
    with sluice.Engine(cfg) as engine:
        batch = engine.poll(30)
        assert batch is not None
        with batch:
            assert batch.topic == topic
            assert batch.partition == 0
            assert batch.attempt == 0
            assert not batch.oversized and not batch.retry
            # len() counts through the C API without building the records.
            assert len(batch) == len(KNOWN)
            assert batch._records is None
            recs = batch.records
            assert len(batch) == len(KNOWN) == len(recs)
            for i, (r, want) in enumerate(zip(recs, KNOWN)):
                assert r.topic == topic and r.partition == 0 and r.offset == i
                assert r.timestamp == want["timestamp_ms"]
                assert r.timestamp_type is sluice.TimestampType.CREATE_TIME
                assert r.key == want["key"]
                assert r.value == want["value"]
                assert r.headers == want.get("headers", [])
            ev = json.loads(batch.event)
            assert ev["eventSource"] == "SelfManagedKafka"
            assert ev["bootstrapServers"] == cluster.bootstrap
            part = ev["records"][f"{topic}-0"]
            assert [x["offset"] for x in part] == [0, 1, 2, 3]
            first = part[0]
            assert base64.b64decode(first["key"]) == b"key-1"
            assert base64.b64decode(first["value"]) == b"Hello, this is a test."
            assert first["timestampType"] == "CREATE_TIME"
            # Header values as signed Java bytes; order and duplicates kept.
            assert first["headers"][0] == {"headerKey": list(b"headerValue")}
            assert first["headers"][1] == {"dup": [0, -1]}
            assert part[1].get("key") is None  # null key: omitted or null
            assert part[2]["key"] == "" and part[2]["value"] == ""
            assert part[3].get("value") is None  # tombstone
            assert batch.event is batch.event  # cached
            batch.ack()
        assert batch.closed
        # Records are copies: still readable after close.
        assert recs[0].value == b"Hello, this is a test."
        with pytest.raises(sluice.InvalidStateError):
            batch.ack()
        stats = engine.stats()
        assert stats["PolledEventCount"] == len(KNOWN)
        assert stats["InvokedEventCount"] == len(KNOWN)


def test_ack_restart_no_redelivery(cluster: Cluster) -> None:
    topic = cluster.topic("restart", partitions=2)
    group = unique("g")
    cluster.produce(topic, [{"partition": i % 2, "value": b"first-%d" % i} for i in range(10)])
    with sluice.Engine(cluster.config(topic, group, batch__size=3)) as engine:
        got = pull(engine, 10)
        assert sorted(r.value or b"" for r in got) == sorted(b"first-%d" % i for i in range(10))
        engine.stop(10)
        with pytest.raises(sluice.StoppedError):
            engine.poll(0)
    cluster.produce(topic, [{"partition": i % 2, "value": b"second-%d" % i} for i in range(4)])
    with sluice.Engine(cluster.config(topic, group)) as engine:
        got = pull(engine, 4)
        assert sorted(r.value or b"" for r in got) == sorted(b"second-%d" % i for i in range(4))
        assert sorted((r.partition, r.offset) for r in got) == [(0, 5), (0, 6), (1, 5), (1, 6)]
        expect_quiet(engine, 2.0)


def test_unacked_batches_come_back_after_restart(cluster: Cluster) -> None:
    topic = cluster.topic("unacked")
    group = unique("g")
    cluster.produce(topic, [{"value": b"v%d" % i} for i in range(3)])
    cfg = cluster.config(topic, group, batch__window__ms=1000)
    with sluice.Engine(cfg) as engine:
        batch = engine.poll(30)
        assert batch is not None
        assert [r.offset for r in batch.records] == [0, 1, 2]
        # Still out at the deadline: stop reports it; the engine is stopped anyway.
        with pytest.raises(sluice.SluiceTimeoutError):
            engine.stop(0.2)
        with pytest.raises(sluice.StoppedError):
            batch.ack()
        batch.close()
    with sluice.Engine(cfg) as engine:
        got = pull(engine, 3)
        assert [r.offset for r in got] == [0, 1, 2]


def test_fail_offers_the_same_batch_again(cluster: Cluster) -> None:
    topic = cluster.topic("fail")
    cluster.produce(topic, [{"value": b"v%d" % i} for i in range(5)])
    cfg = cluster.config(topic, unique("g"), batch__window__ms=1000)
    with sluice.Engine(cfg) as engine:
        first = engine.poll(30)
        assert first is not None
        with first:
            offsets = [r.offset for r in first.records]
            event = first.event
            assert first.attempt == 0
            first.fail()
            with pytest.raises(sluice.AlreadyCompletedError):
                first.ack()
        again = engine.poll(30)
        assert again is not None
        with again:
            assert [r.offset for r in again.records] == offsets
            assert again.event == event
            assert again.attempt == 1
            assert again.retry
            again.ack()
        stats = engine.stats()
        assert stats["FailedInvokeEventCount"] == len(offsets)


def test_unacked_close_counts_as_failed(mock: Cluster) -> None:
    topic = mock.topic("dropped")
    mock.produce(topic, [{"value": b"x"}])
    with sluice.Engine(mock.config(topic, unique("g"))) as engine:
        b = engine.poll(30)
        assert b is not None
        b.close()  # neither acked nor failed
        again = engine.poll(30)
        assert again is not None
        with again:
            assert again.attempt == 1 and [r.offset for r in again.records] == [0]
            again.ack()


def test_iteration_ends_when_stopped(mock: Cluster) -> None:
    topic = mock.topic("iter", partitions=3)
    mock.produce(topic, [{"partition": i % 3, "value": b"%d" % i} for i in range(30)])
    seen: List[bytes] = []
    with sluice.Engine(mock.config(topic, unique("g"), batch__size=4)) as engine:
        for batch in engine:
            seen.extend(r.value or b"" for r in batch.records)
            batch.ack()
            if len(seen) == 30:
                threading.Timer(0.1, engine.stop).start()
    assert sorted(seen) == sorted(b"%d" % i for i in range(30))


def test_stop_from_another_thread_wakes_a_blocked_poll(mock: Cluster) -> None:
    topic = mock.topic("wake")
    with sluice.Engine(mock.config(topic, unique("g"))) as engine:
        threading.Timer(0.5, engine.stop, kwargs={"timeout": None}).start()
        t0 = time.monotonic()
        with pytest.raises(sluice.StoppedError):
            engine.poll(None)
        assert time.monotonic() - t0 < 10


def test_concurrent_stops(mock: Cluster) -> None:
    topic = mock.topic("stops")
    with sluice.Engine(mock.config(topic, unique("g"))) as engine:
        errors: List[BaseException] = []

        def stop() -> None:
            try:
                engine.stop(5)
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=stop) for _ in range(4)]
        for t in threads:
            t.start()
        with pytest.raises(sluice.StoppedError):
            engine.poll(None)
        for t in threads:
            t.join(30)
        assert not errors
        engine.stop(wait=False)  # a no-op now
        engine.stop()


def test_close_while_another_thread_polls(mock: Cluster) -> None:
    topic = mock.topic("close")
    engine = sluice.Engine(mock.config(topic, unique("g")))
    errors: list = []

    def poller() -> None:
        try:
            while True:
                engine.poll(None)
        except sluice.Error as e:
            errors.append(e)

    t = threading.Thread(target=poller)
    t.start()
    time.sleep(0.3)
    engine.close()
    t.join(10)
    assert not t.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], (sluice.StoppedError, sluice.InvalidStateError))
    assert engine.closed
    engine.close()  # idempotent
    with pytest.raises(sluice.InvalidStateError):
        engine.poll(0)


def test_oversized_record_is_flagged(mock: Cluster) -> None:
    topic = mock.topic("big")
    mock.produce(topic, [{"value": b"a" * 3000}, {"value": b"b"}])
    cfg = mock.config(topic, unique("g"), batch__max__bytes=1024, batch__window__ms=500)
    with sluice.Engine(cfg) as engine:
        got = []

        def check(b: sluice.Batch) -> None:
            got.append((b.oversized, [r.offset for r in b.records]))
            b.ack()

        pull(engine, 2, on_batch=check)
    assert got[0] == (True, [0])
    assert got[1] == (False, [1])


def test_filter_patterns_in_config(mock: Cluster) -> None:
    topic = mock.topic("filtered")
    mock.produce(topic, [{"value": json.dumps({"kind": k}).encode()}
                         for k in ["keep", "drop", "keep", "drop"]])
    cfg = mock.config(topic, unique("g"), filter__patterns=[{"value": {"kind": ["keep"]}}],
                      batch__window__ms=500)
    with sluice.Engine(cfg) as engine:
        got = pull(engine, 2)
        assert [r.offset for r in got] == [0, 2]
        expect_quiet(engine, 1.0)
        assert engine.stats()["FilteredOutEventCount"] == 2


def test_gil_is_released_while_poll_blocks(mock: Cluster) -> None:
    topic = mock.topic("gil")
    with sluice.Engine(mock.config(topic, unique("g"))) as engine:
        counter = [0]
        done = threading.Event()

        def spin() -> None:
            while not done.is_set():
                counter[0] += 1

        t = threading.Thread(target=spin)
        t.start()
        try:
            # Give the thread a head start, then block this one in poll on an
            # empty topic: the other thread must keep counting meanwhile.
            time.sleep(0.05)
            before = counter[0]
            t0 = time.monotonic()
            assert engine.poll(1.5) is None
            elapsed = time.monotonic() - t0
            during = counter[0] - before
        finally:
            done.set()
            t.join()
        assert elapsed >= 1.4
        # Holding the GIL for 1.5 s would leave the counter almost still (a
        # switch interval is 5 ms); released, it runs millions of times.
        assert during > 100_000, during


def test_poll_argument_checks(mock: Cluster) -> None:
    topic = mock.topic("args")
    with sluice.Engine(mock.config(topic, unique("g"))) as engine:
        with pytest.raises(ValueError):
            engine.poll(-1)
        with pytest.raises(ValueError):
            engine.poll(float("nan"))
        assert engine.poll(0) is None
        assert isinstance(engine.fileno(), int) and engine.fileno() >= 0


def test_real_broker_fixture_is_required(kafka_bootstrap: str) -> None:
    """Fails (never skips) without SLUICE_TEST_BOOTSTRAP."""
    host, _, port = kafka_bootstrap.rpartition(":")
    assert host and port.isdigit()


def test_records_copy_every_field_in_one_batch(mock: Cluster) -> None:
    # Headers on some records only (not the first), null and empty keys and
    # values, one batch: the records are built in one pass and the header
    # lists filled in a second one, so check that each record got its own.
    produced: List[Dict[str, Any]] = [
        {"key": b"k0", "value": b"v0", "timestamp_ms": 1000},
        {"key": None, "value": b"v1", "timestamp_ms": 1001,
         "headers": [("a", b"1"), ("b", None)]},
        {"key": b"", "value": None, "timestamp_ms": 1002},
        {"key": b"k3", "value": b"", "timestamp_ms": 1003,
         "headers": [("\u00e9t\u00e9", b"\x00\xff")]},
        {"key": b"k4" * 300, "value": b"v" * 5000, "timestamp_ms": 1004},
    ]
    topic = mock.topic("fields")
    mock.produce(topic, produced)
    cfg = mock.config(topic, unique("g"), batch__window__ms=2000, batch__size=100)
    with sluice.Engine(cfg) as engine:
        batch = engine.poll(30)
        assert batch is not None
        with batch:
            recs = batch.records
            assert batch.records is recs  # cached
            assert len(recs) == len(produced)
            batch.ack()
    for i, (r, want) in enumerate(zip(recs, produced)):
        assert type(r) is sluice.Record
        assert r == (topic, 0, i, want["timestamp_ms"], sluice.TimestampType.CREATE_TIME,
                     want["key"], want["value"], want.get("headers", []))
        assert type(r.headers) is list
    # Every record has its own headers list (no sharing between records).
    assert len({id(r.headers) for r in recs}) == len(recs)
    recs[0].headers.append(("x", None))
    assert recs[2].headers == []
