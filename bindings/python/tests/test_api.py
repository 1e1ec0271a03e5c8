"""Configuration errors, Filter, asyncio, misuse, library loading, the testing
module, the example and the benchmark script."""
from __future__ import annotations

import asyncio
import json
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import List

import pytest

import sluice
from sluice.testing import MockCluster, Producer

from conftest import BINDING, REPO, Cluster, pull, unique

# -- configuration -------------------------------------------------------------


def test_unknown_key_names_the_key() -> None:
    with pytest.raises(sluice.UnknownKeyError) as info:
        sluice.Engine({"bootstrap.servers": "127.0.0.1:1", "topic": "t", "group.id": "g",
                       "batch.sise": 10})
    err = info.value
    assert err.key == "batch.sise"
    assert "batch.sise" in str(err)
    assert err.code == sluice.ERR_UNKNOWN_KEY and err.code_name == "SLUICE_ERR_UNKNOWN_KEY"
    assert not err.retriable and err.offset is None and err.path is None
    assert isinstance(err, sluice.Error)


def test_missing_required_key() -> None:
    with pytest.raises(sluice.InvalidValueError) as info:
        sluice.Engine({"bootstrap.servers": "127.0.0.1:1", "group.id": "g"})
    assert info.value.key == "topic"


def test_config_value_types() -> None:
    with pytest.raises(sluice.InvalidValueError) as info:
        sluice.Engine({"batch.size": 0})
    assert "1..10000" in str(info.value)
    with pytest.raises(TypeError):
        sluice.Engine({"batch.size": object()})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        sluice.Engine({1: "x"})  # type: ignore[dict-item]


def test_invalid_pattern_in_config() -> None:
    with pytest.raises(sluice.InvalidPatternError) as info:
        sluice.Engine({"filter.patterns": [{"value": {"a": [{"nope": 1}]}}]})
    assert info.value.key == "filter.patterns"
    assert "nope" in str(info.value)


def test_errors_pickle() -> None:
    err = sluice.UnknownKeyError("m", key="k", offset=3, path="$[0]", retriable=True)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is sluice.UnknownKeyError
    assert (back.message, back.key, back.offset, back.path, back.retriable, back.code) == (
        "m", "k", 3, "$[0]", True, sluice.ERR_UNKNOWN_KEY)
    assert "key='k'" in repr(back)


# -- Filter ---------------------------------------------------------------------


def test_filter_match() -> None:
    with sluice.Filter([{"value": {"device_ID": [{"prefix": "AB"}]}},
                        {"value": {"n": [{"numeric": [">", 10]}]}}]) as f:
        assert f.match(b'{"device_ID":"AB-1"}')
        assert f.match('{"n": 11}')
        assert not f.match(b'{"device_ID":"XY"}')
        assert not f.match(b'{"n": 10}')
        assert not f.match(None)
        assert not f.match(b"not json")
    with pytest.raises(sluice.InvalidStateError):
        f.match(b"{}")


def test_filter_plain_string_and_text_forms() -> None:
    f = sluice.Filter('[{"value":[{"anything-but":["error"]}]}]')
    assert f.match(b"fine") and not f.match(b"error")
    f2 = sluice.Filter(b'[{"value":[{"anything-but":["error"]}]}]')
    assert f2.match(bytearray(b"fine")) and not f2.match(memoryview(b"error"))
    f3 = sluice.Filter({"value": {"a": [1]}})  # one pattern as a dict
    assert f3.match(b'{"a":1}') and not f3.match(b'{"a":2}')
    with pytest.raises(TypeError):
        f.match(12)  # type: ignore[arg-type]
    f.close()
    f.close()


def test_filter_invalid_pattern_reports_offset_and_path() -> None:
    text = '[{"value":{"price":[{"numeric":[">","x"]}]}}]'
    with pytest.raises(sluice.InvalidPatternError) as info:
        sluice.Filter(text)
    err = info.value
    assert err.code_name == "SLUICE_ERR_INVALID_PATTERN"
    assert err.offset is not None and 0 <= err.offset < len(text)
    assert err.path is not None and err.path.startswith("$[0]")


def test_filter_is_safe_across_threads() -> None:
    f = sluice.Filter([{"value": {"k": ["v"]}}])
    bad: List[int] = []

    def work(i: int) -> None:
        for _ in range(2000):
            if not f.match(b'{"k":"v"}') or f.match(b'{"k":"w"}'):
                bad.append(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not bad


# -- asyncio --------------------------------------------------------------------


def test_async_iteration(mock: Cluster) -> None:
    topic = mock.topic("async", partitions=2)

    async def main() -> List[bytes]:
        seen: List[bytes] = []
        with sluice.Engine(mock.config(topic, unique("g"), batch__size=5)) as engine:
            loop = asyncio.get_running_loop()
            # Records arrive while the loop waits on the wake-up fd.
            loop.call_later(0.5, lambda: mock.produce(
                topic, [{"partition": i % 2, "value": b"%d" % i} for i in range(20)]))
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    await asyncio.sleep(0.01)
                    ticks += 1

            tick_task = asyncio.create_task(ticker())
            async for batch in engine:
                with batch:
                    seen.extend(r.value for r in batch.records if r.value is not None)
                    batch.ack()
                if len(seen) >= 20:
                    loop.call_later(0.1, engine.stop)
            tick_task.cancel()
            assert ticks > 10  # the loop kept running while waiting
        return seen

    seen = asyncio.run(main())
    assert sorted(seen) == sorted(b"%d" % i for i in range(20))


def test_async_batches_end_when_stopped_from_a_thread(mock: Cluster) -> None:
    topic = mock.topic("async-stop")

    async def main() -> int:
        with sluice.Engine(mock.config(topic, unique("g"))) as engine:
            threading.Timer(0.3, engine.stop).start()
            n = 0
            async for _ in engine.batches():
                n += 1
            return n

    assert asyncio.run(asyncio.wait_for(main(), 20)) == 0


def test_async_iteration_ends_when_closed_from_a_thread(mock: Cluster) -> None:
    topic = mock.topic("async-close")
    engine = sluice.Engine(mock.config(topic, unique("g")))

    async def main() -> int:
        threading.Timer(0.3, engine.close).start()
        n = 0
        async for _ in engine:
            n += 1
        return n

    assert asyncio.run(asyncio.wait_for(main(), 20)) == 0
    time.sleep(0.5)  # close() returned on the timer thread; the engine is freed
    assert engine.closed and engine._h.ptr is None


# -- misuse ---------------------------------------------------------------------


def test_ack_twice_and_fail_after_ack(mock: Cluster) -> None:
    topic = mock.topic("twice")
    mock.produce(topic, [{"value": b"x"}])
    with sluice.Engine(mock.config(topic, unique("g"))) as engine:
        batch = engine.poll(30)
        assert batch is not None
        batch.ack()
        with pytest.raises(sluice.AlreadyCompletedError) as info:
            batch.ack()
        assert info.value.code == sluice.ERR_ALREADY_COMPLETED
        with pytest.raises(sluice.AlreadyCompletedError):
            batch.fail()
        # Still readable after ack, until closed.
        assert batch.records[0].value == b"x" and batch.event
        batch.close()
        batch.close()
        with pytest.raises(sluice.InvalidStateError):
            _ = batch.attempt  # not read (so not cached) before close
        assert "closed" in repr(batch)


def test_batch_outlives_its_engine(mock: Cluster) -> None:
    topic = mock.topic("outlive")
    mock.produce(topic, [{"value": b"x"}])
    engine = sluice.Engine(mock.config(topic, unique("g")))
    batch = engine.poll(30)
    assert batch is not None
    engine.close(0.1)
    assert batch.records[0].value == b"x"
    assert b'"records"' in batch.event
    with pytest.raises(sluice.StoppedError):
        batch.ack()
    batch.close()


def test_engine_methods_after_close() -> None:
    with MockCluster() as mc:
        mc.create_topic("t")
        engine = sluice.Engine({"bootstrap.servers": mc.bootstraps, "topic": "t",
                                "group.id": unique("g")})
        with engine:
            assert not engine.closed
        for call in (lambda: engine.poll(0), engine.stats, engine.fileno, engine.stop):
            with pytest.raises(sluice.InvalidStateError):
                call()
        assert list(engine) == []
        assert "closed" in repr(engine)


# -- testing module -------------------------------------------------------------


def test_mock_fault_injection_is_survived(mock: Cluster) -> None:
    assert mock.mock is not None
    topic = mock.topic("faults")
    mock.produce(topic, [{"value": b"%d" % i} for i in range(5)])
    mock.mock.push_request_errors(1, 3, 6)  # Fetch fails 3x NOT_LEADER_OR_FOLLOWER
    with sluice.Engine(mock.config(topic, unique("g"))) as engine:
        got = pull(engine, 5)
        assert [r.offset for r in got] == list(range(5))


def test_mock_broker_down_and_up() -> None:
    with MockCluster(brokers=1) as mc:
        mc.set_broker_up(1, False)
        mc.set_broker_up(1, True)
        with pytest.raises(sluice.Error):
            mc.create_topic("bad", 0)
    with pytest.raises(sluice.InvalidStateError):
        mc.create_topic("x")
    with pytest.raises(sluice.InvalidArgumentError):
        MockCluster(brokers=0)


def test_producer_errors() -> None:
    with MockCluster() as mc:
        with Producer(mc.bootstraps) as p:
            with pytest.raises(TypeError):
                p.send("t", 0, 1, b"v")  # type: ignore[arg-type]
            with pytest.raises(ValueError):
                p.flush(-1)
        with pytest.raises(sluice.InvalidStateError):
            p.send("t", 0, None, b"v")


# -- library loading ------------------------------------------------------------


def _import_in_subprocess(env_changes: dict) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for k, v in env_changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    code = ("import sluice, sys; sys.stdout.write(sluice.library_path)")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          cwd="/", timeout=60)


def test_library_from_env_var() -> None:
    r = _import_in_subprocess({})
    assert r.returncode == 0, r.stderr
    assert r.stdout == os.environ["SLUICE_LIBRARY"]


def test_library_env_var_wrong_path_is_an_error() -> None:
    r = _import_in_subprocess({"SLUICE_LIBRARY": "/nonexistent/libsluice.so.1"})
    assert r.returncode != 0
    assert "LibraryNotFoundError" in r.stderr and "SLUICE_LIBRARY" in r.stderr


def test_library_env_var_must_be_absolute() -> None:
    r = _import_in_subprocess({"SLUICE_LIBRARY": "build/lib/libsluice.so.1"})
    assert r.returncode != 0 and "absolute path" in r.stderr


def test_library_through_the_system_loader(tmp_path: Path) -> None:
    libdir = str(Path(os.environ["SLUICE_LIBRARY"]).parent)
    r = _import_in_subprocess({"SLUICE_LIBRARY": None, "LD_LIBRARY_PATH": libdir})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "libsluice.so.1"
    r = _import_in_subprocess({"SLUICE_LIBRARY": None, "LD_LIBRARY_PATH": str(tmp_path)})
    if r.returncode == 0:  # installed system-wide: found by soname
        assert r.stdout == "libsluice.so.1"
    else:
        assert "LibraryNotFoundError" in r.stderr and "set SLUICE_LIBRARY" in r.stderr.replace(
            "Set", "set")


# -- example and benchmark ------------------------------------------------------


def test_forward_example(mock: Cluster) -> None:
    topic = mock.topic("forward")
    mock.produce(topic, [{"value": b"r%d" % i} for i in range(6)])
    proc = subprocess.Popen(
        [sys.executable, str(BINDING / "examples" / "forward.py"), "--bootstrap", mock.bootstrap,
         "--topic", topic, "--group", unique("g"), "--starting-position", "trim_horizon",
         "--batch-size", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        offsets: List[int] = []
        deadline = time.monotonic() + 30
        while len(offsets) < 6 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            event = json.loads(line)
            offsets.extend(r["offset"] for r in event["records"][f"{topic}-0"])
        assert offsets == list(range(6))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_overhead_benchmark_runs(mock: Cluster) -> None:
    topic = mock.topic("bench", partitions=2)
    mock.produce(topic, [{"partition": i % 2, "key": b"k", "value": b"v" * 100}
                         for i in range(1000)])
    r = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bindings" / "python_overhead.py"), "--bootstrap",
         mock.bootstrap, "--topic", topic, "--records", "1000", "--batch-size", "100"],
        capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("records_per_sec=")
    assert float(last.split("=", 1)[1]) > 0


def test_suite_runs_against_the_installed_package() -> None:
    """test.sh sets SLUICE_PY_EXPECT_INSTALLED to its venv: the package under
    test must be the pip-installed copy, not the source tree."""
    venv = os.environ.get("SLUICE_PY_EXPECT_INSTALLED")
    if venv:
        assert Path(sluice.__file__).resolve().is_relative_to(Path(venv).resolve())
        assert (Path(sluice.__file__).parent / "py.typed").exists()
