"""Filter: the ESM filter-criteria language over sluice_filter_*."""
from __future__ import annotations

import json
import threading
from ctypes import byref, c_int32, c_void_p
from types import TracebackType
from typing import Any, Dict, List, Optional, Type, Union

from ._ffi import check, closed_error, lib, to_bytes

Patterns = Union[str, bytes, List[Any], Dict[str, Any]]
BytesLike = Union[bytes, bytearray, memoryview, str]


class Filter:
    """Compiled filter patterns (docs/FILTERS.md): what ``filter.patterns``
    takes, a JSON array of up to 10 patterns, ORed. ``patterns`` is that JSON
    text (str or bytes), a list of patterns (dicts or JSON strings), or one
    pattern as a dict. A rejected pattern raises InvalidPatternError with
    ``.offset`` (byte offset in the JSON text) and ``.path``.

    Thread-safe: calls on one Filter are serialised (the C matcher keeps a
    parser); for parallel matching use one Filter per thread.
    """

    __slots__ = ("_ptr", "_lock")

    def __init__(self, patterns: Patterns) -> None:
        self._ptr: Optional[int] = None
        self._lock = threading.Lock()
        if isinstance(patterns, dict):
            patterns = [patterns]
        if isinstance(patterns, list):
            text = json.dumps(patterns, separators=(",", ":")).encode("utf-8")
        elif isinstance(patterns, str):
            text = patterns.encode("utf-8")
        elif isinstance(patterns, (bytes, bytearray, memoryview)):
            text = bytes(patterns)
        else:
            raise TypeError(f"patterns must be str, bytes, list or dict, not "
                            f"{type(patterns).__name__}")
        out = c_void_p()
        check(lib.sluice_filter_new(text, len(text), byref(out)))
        self._ptr = out.value

    def match(self, value: Optional[BytesLike], key: Optional[BytesLike] = None) -> bool:
        """True if any pattern matches the record with this value and key
        (None = a null value / null key; str is UTF-8 encoded)."""
        v = to_bytes(value, "value")
        k = to_bytes(key, "key")
        out = c_int32()
        with self._lock:
            if self._ptr is None:
                raise closed_error("the filter")
            check(lib.sluice_filter_match(self._ptr, k, len(k) if k is not None else 0, v,
                                          len(v) if v is not None else 0, byref(out)))
        return out.value != 0

    def close(self) -> None:
        """Frees the filter. Idempotent."""
        with self._lock:
            ptr, self._ptr = self._ptr, None
        if ptr:
            lib.sluice_filter_destroy(ptr)

    def __del__(self) -> None:
        ptr = getattr(self, "_ptr", None)
        if ptr:
            self._ptr = None
            lib.sluice_filter_destroy(ptr)

    def __enter__(self) -> "Filter":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.close()
