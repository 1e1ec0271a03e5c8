#!/usr/bin/env python3
"""The Python binding's side of the bindings overhead benchmark
(bench/bindings/run.sh runs it next to the C API baseline, capi_overhead.c).

    python_overhead.py --bootstrap B --topic T --records N [--batch-size 100]
                       [--work records|ack]

Consumes topic T from the beginning with a fresh group (trim_horizon,
batch.window.ms 0) in pull mode. Per batch, --work records (the default) does
the same work as the C program: read every record (offset, key and value
lengths) from Batch.records, ack, close; --work ack is a no-op handler: count
the records (len), ack, close, so no Record copies are built. Stops after N
records and prints records_per_sec=<x> as its last line, timed from the first
batch (the group join is not counted)."""
from __future__ import annotations

import argparse
import sys
import time
import uuid

import sluice


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--records", type=int, required=True)
    ap.add_argument("--batch-size", type=int, default=100)
    ap.add_argument("--work", choices=("records", "ack"), default="records")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="give up after this many seconds without all records")
    args = ap.parse_args()
    if args.records <= 0:
        ap.error("--records must be > 0")

    config = {
        "bootstrap.servers": args.bootstrap,
        "topic": args.topic,
        "group.id": f"python-overhead-{uuid.uuid4().hex[:12]}",
        "starting.position": "trim_horizon",
        "batch.window.ms": 0,
        "batch.size": args.batch_size,
    }
    got = 0
    checksum = 0
    start = 0.0
    give_up = time.monotonic() + args.timeout
    walk = args.work == "records"
    with sluice.Engine(config) as engine:
        poll = engine.poll
        while got < args.records:
            batch = poll(1.0)
            if batch is None:
                if time.monotonic() > give_up:
                    print(f"timed out with {got} of {args.records} records", file=sys.stderr)
                    return 1
                continue
            if not start:
                start = time.perf_counter()
            if walk:
                records = batch.records
                for r in records:
                    k = r.key
                    v = r.value
                    checksum += r.offset + (len(v) if v is not None else 0) + (
                        len(k) if k is not None else 0)
                n = len(records)
            else:
                n = len(batch)
            batch.ack()
            batch.close()
            got += n
        seconds = time.perf_counter() - start
    print(f"records={got} seconds={seconds:.3f} checksum={checksum} "
          f"library={sluice.library_path}")
    print(f"records_per_sec={got / seconds:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
