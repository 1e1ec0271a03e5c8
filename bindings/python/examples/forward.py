#!/usr/bin/env python3
"""Forwards each batch's event (the Lambda Kafka event JSON) to stdout, one
JSON document per line, and acks the batch once the line is written: a batch
is committed only after its event reached stdout (at-least-once).

    SLUICE_LIBRARY=$PWD/build/lib/libsluice.so.1 \\
      python3 bindings/python/examples/forward.py --bootstrap 127.0.0.1:9092 \\
        --topic orders --group forwarder --starting-position trim_horizon

Ctrl-C or SIGTERM stops it cleanly (acknowledged batches are committed)."""
from __future__ import annotations

import argparse
import signal
import sys
from typing import Any, Dict, List, Optional

import sluice


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bootstrap", required=True, help="host:port[,host:port...]")
    ap.add_argument("--topic", required=True)
    ap.add_argument("--group", required=True, help="consumer group id")
    ap.add_argument("--starting-position", default="latest",
                    choices=["latest", "trim_horizon", "at_timestamp"])
    ap.add_argument("--batch-size", type=int, default=100)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="any other sluice setting (repeatable)")
    args = ap.parse_args(argv)

    config: Dict[str, Any] = {
        "bootstrap.servers": args.bootstrap,
        "topic": args.topic,
        "group.id": args.group,
        "starting.position": args.starting_position,
        "batch.size": args.batch_size,
    }
    for kv in args.set:
        key, _, value = kv.partition("=")
        config[key] = value

    out = sys.stdout.buffer
    with sluice.Engine(config) as engine:
        # A signal handler runs on this thread, which may hold a batch: stop
        # without waiting for it (the loop below then ends).
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: engine.stop(wait=False))
        for batch in engine:
            with batch:  # closed at the end of the block; un-acked = failed
                out.write(batch.event)
                out.write(b"\n")
                out.flush()
                batch.ack()
    return 0


if __name__ == "__main__":
    sys.exit(main())
