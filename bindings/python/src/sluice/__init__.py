"""sluice: AWS Lambda's Kafka event source mapping as an embeddable library.

Python binding over libsluice's C ABI (sluice.h), in pull mode::

    import sluice

    config = {"bootstrap.servers": "127.0.0.1:9092", "topic": "orders", "group.id": "billing"}
    with sluice.Engine(config) as engine:
        for batch in engine:          # until engine.stop() (another thread, a signal handler)
            handle(batch.event)       # the Lambda Kafka event JSON, bytes
            batch.ack()               # commit; batch.fail() offers it again

The library is loaded from ``SLUICE_LIBRARY`` (an absolute path) or else as
``libsluice.so.1`` through the system loader; see README.md.
"""
from __future__ import annotations

from typing import List

from . import _codes
from ._codes import *  # noqa: F401,F403  (generated: error classes and constants)
from ._engine import Batch, ConfigValue, Engine, Record, TimestampType
from ._errors import Error
from ._ffi import ENV_VAR, LibraryNotFoundError, library_path, version_string
from ._filter import Filter

__version__ = "1.0.0"


def library_version() -> str:
    """The loaded libsluice's version, "MAJOR.MINOR.PATCH"."""
    return version_string()


__all__: List[str] = [
    "Batch",
    "ConfigValue",
    "ENV_VAR",
    "Engine",
    "Error",
    "Filter",
    "LibraryNotFoundError",
    "Record",
    "TimestampType",
    "library_path",
    "library_version",
    *_codes.__all__,
]
