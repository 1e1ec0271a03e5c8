"""The language-neutral vectors (tests/vectors/): the same files the C++, Go
and Rust suites replay. Events must match byte for byte."""
from __future__ import annotations

import base64
import json
from typing import Any, Dict, List, Optional

import pytest

import sluice
from sluice.testing import MockCluster, Producer

from conftest import VECTORS, pull

EVENTS: List[Dict[str, Any]] = json.loads((VECTORS / "events.json").read_text())["cases"]
CONFIG_ERRORS: List[Dict[str, Any]] = json.loads(
    (VECTORS / "config_errors.json").read_text())["cases"]


def _b64(s: Optional[str]) -> Optional[bytes]:
    return None if s is None else base64.b64decode(s)


def test_there_are_vectors() -> None:
    assert len(EVENTS) >= 4 and len(CONFIG_ERRORS) >= 5


@pytest.mark.parametrize("case", EVENTS, ids=[c["name"] for c in EVENTS])
def test_event_vector(case: Dict[str, Any]) -> None:
    topic = case["topic"]
    with MockCluster() as mc:
        mc.create_topic(topic, 1)
        with Producer(mc.bootstraps) as p:
            for r in case["records"]:
                p.send(topic, case.get("partition", 0), _b64(r["key_b64"]), _b64(r["value_b64"]),
                       [(name, _b64(v)) for name, v in r["headers"]], r["timestamp"])
            p.flush(10)
        cfg = {
            "bootstrap.servers": mc.bootstraps,
            "topic": topic,
            "group.id": "vectors",
            "starting.position": "trim_horizon",
            "batch.window.ms": 2000,
            "event.source": case["event_source"],
            "event.bootstrap.servers": case["bootstrap_servers"],
        }
        if "arn" in case:
            cfg["event.source.arn"] = case["arn"]
        events: List[bytes] = []

        def keep(b: sluice.Batch) -> None:
            events.append(b.event)
            b.ack()

        with sluice.Engine(cfg) as engine:
            pull(engine, len(case["records"]), on_batch=keep)
        assert len(events) == 1, "all records of a vector fit one batch"
        assert events[0] == case["expected_event"].encode("utf-8")


@pytest.mark.parametrize("case", CONFIG_ERRORS, ids=[f"{c['key']}={c['value']}" for c in CONFIG_ERRORS])
def test_config_error_vector(case: Dict[str, Any]) -> None:
    with pytest.raises(sluice.Error) as info:
        sluice.Engine({case["key"]: case["value"]})
    err = info.value
    assert err.code_name == case["code"]
    assert type(err) is sluice.ERROR_CLASSES[err.code]
    assert type(err).CODE_NAME == case["code"]
    assert err.key == case["error_key"]
    assert case["message_contains"] in str(err)
