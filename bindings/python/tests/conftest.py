"""Fixtures: a fresh mock cluster per test, the real broker from
SLUICE_TEST_BOOTSTRAP (never skipped: without it those tests fail and say how
to get one), and helpers shared by the suites."""
from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import pytest

import sluice
from sluice.testing import MockCluster, Producer, create_topic

REPO = Path(__file__).resolve().parents[3]
HEADER_DIR = REPO / "capi" / "include"
VECTORS = REPO / "tests" / "vectors"
BINDING = Path(__file__).resolve().parents[1]


def unique(prefix: str) -> str:
    return f"py-{prefix}-{uuid.uuid4().hex[:12]}"


class Cluster:
    """Where a behaviour test runs: the mock cluster or the real broker."""

    def __init__(self, kind: str, bootstrap: str, mock: Optional[MockCluster] = None) -> None:
        self.kind = kind
        self.bootstrap = bootstrap
        self.mock = mock

    def topic(self, prefix: str, partitions: int = 1) -> str:
        name = unique(prefix)
        if self.mock is not None:
            self.mock.create_topic(name, partitions)
        else:
            create_topic(self.bootstrap, name, partitions, timeout=30)
        return name

    def produce(self, topic: str, records: Sequence[Dict[str, Any]]) -> None:
        with Producer(self.bootstrap) as p:
            for r in records:
                p.send(topic, r.get("partition", 0), r.get("key"), r.get("value"),
                       r.get("headers"), r.get("timestamp_ms", 0))
            p.flush(30)

    def config(self, topic: str, group: str, **extra: Any) -> Dict[str, Any]:
        c: Dict[str, Any] = {
            "bootstrap.servers": self.bootstrap,
            "topic": topic,
            "group.id": group,
            "starting.position": "trim_horizon",
            "batch.window.ms": 0,
            "retry.backoff.ms": 10,
            "kafka.session.timeout.ms": 6000,
            "kafka.heartbeat.interval.ms": 500,
        }
        c.update({k.replace("__", "."): v for k, v in extra.items()})
        return c


@pytest.fixture
def mock_cluster() -> Iterator[MockCluster]:
    with MockCluster() as mc:
        yield mc


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    bs = os.environ.get("SLUICE_TEST_BOOTSTRAP")
    if not bs:
        pytest.fail("SLUICE_TEST_BOOTSTRAP is not set: real-broker tests need a Kafka broker. "
                    "Start one with `scripts/kafka up` (it prints host:port) and export "
                    "SLUICE_TEST_BOOTSTRAP=host:port; scripts/test does this for you.",
                    pytrace=False)
    return bs


@pytest.fixture(params=["mock", "kafka"])
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    if request.param == "mock":
        with MockCluster() as mc:
            yield Cluster("mock", mc.bootstraps, mc)
    else:
        yield Cluster("kafka", request.getfixturevalue("kafka_bootstrap"))


@pytest.fixture
def mock(mock_cluster: MockCluster) -> Cluster:
    return Cluster("mock", mock_cluster.bootstraps, mock_cluster)


Seen = List[Tuple[int, int, List[int], int]]  # (partition, attempt, offsets, flags)


def pull(engine: sluice.Engine, records: int, timeout: float = 30.0,
         on_batch: Optional[Callable[[sluice.Batch], None]] = None) -> List[sluice.Record]:
    """Polls until ``records`` records arrived (acking each batch unless
    on_batch decides), returns them; fails the test on timeout."""
    got: List[sluice.Record] = []
    deadline = time.monotonic() + timeout
    while len(got) < records:
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"only {len(got)} of {records} records arrived in {timeout} s")
        batch = engine.poll(min(left, 1.0))
        if batch is None:
            continue
        with batch:
            got.extend(batch.records)
            if on_batch is not None:
                on_batch(batch)
            else:
                batch.ack()
    return got


def expect_quiet(engine: sluice.Engine, seconds: float) -> None:
    """Asserts that no batch arrives for ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        batch = engine.poll(left)
        if batch is not None:
            with batch:
                offsets = [r.offset for r in batch.records]
            pytest.fail(f"unexpected batch {batch!r} with offsets {offsets}")
