"""Loading libsluice and declaring its C functions for ctypes.

The library is found deterministically, in this order:

1. ``SLUICE_LIBRARY``: an absolute path to ``libsluice.so.1``. When set, it is
   the only place looked at (a wrong path is an error, never a fallback).
2. Otherwise the soname ``libsluice.so.1`` through the system's dynamic loader
   (``LD_LIBRARY_PATH``, then the ``ldconfig`` cache and default directories:
   where ``cmake --install`` puts it, followed by ``ldconfig``).

No ``ctypes.util.find_library`` search and no path relative to the package.

Every function of sluice.h and sluice_mock.h is declared in DECLARATIONS; a
test parses both headers and fails when a function is missing here or its
argument or return types differ. Functions are called through CDLL, so ctypes
releases the GIL for the duration of every call (blocking ones included).
"""
from __future__ import annotations

import ctypes
import os
import sys
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char_p,
    c_int16,
    c_int32,
    c_int64,
    c_uint32,
    c_uint64,
    c_void_p,
)
from typing import Any, Dict, Optional, Tuple

from . import _codes
from ._errors import Error

ENV_VAR = "SLUICE_LIBRARY"
SONAME = "libsluice.so.1"


class LibraryNotFoundError(ImportError):
    """libsluice could not be loaded (raised by ``import sluice``)."""


class RecordStruct(Structure):
    """sluice_record_t (layout frozen for ABI major 1)."""

    _fields_ = [
        ("offset", c_int64),
        ("timestamp", c_int64),
        ("key", c_void_p),
        ("value", c_void_p),
        ("key_len", c_uint32),
        ("value_len", c_uint32),
        ("partition", c_int32),
        ("timestamp_type", c_int32),
        ("header_first", c_uint32),
        ("header_count", c_uint32),
    ]


class HeaderStruct(Structure):
    """sluice_header_t."""

    _fields_ = [
        ("name", c_void_p),
        ("value", c_void_p),
        ("name_len", c_uint32),
        ("value_len", c_uint32),
    ]


# sluice_handler_fn. Declared so that every exported function has a prototype;
# the binding never installs a handler (push mode is not exposed to Python).
HANDLER_FN = CFUNCTYPE(c_int32, c_void_p, c_void_p)

_H = c_void_p  # any opaque handle, and sluice_error_t*
_OUT_H = POINTER(c_void_p)  # an opaque handle out-parameter, or char** / const uint8_t**
_ERR = c_void_p  # sluice_error_t*: NULL (None) is success
_BYTES = c_char_p  # const char* / const uint8_t* input (bytes or None)

# name: (restype, argtypes), in header order.
DECLARATIONS: Dict[str, Tuple[Any, Tuple[Any, ...]]] = {
    # sluice.h: version
    "sluice_version_number": (c_uint32, ()),
    "sluice_version_string": (c_char_p, ()),
    # errors
    "sluice_error_destroy": (None, (_H,)),
    "sluice_error_code": (c_int32, (_H,)),
    "sluice_code_name": (c_char_p, (c_int32,)),
    "sluice_error_message": (c_char_p, (_H,)),
    "sluice_error_retriable": (c_int32, (_H,)),
    "sluice_error_key": (c_char_p, (_H,)),
    "sluice_error_offset": (c_int64, (_H,)),
    "sluice_error_path": (c_char_p, (_H,)),
    "sluice_free": (None, (c_void_p,)),
    # configuration
    "sluice_conf_new": (_ERR, (_OUT_H,)),
    "sluice_conf_destroy": (None, (_H,)),
    "sluice_conf_set": (_ERR, (_H, _BYTES, _BYTES)),
    "sluice_conf_get": (_ERR, (_H, _BYTES, _OUT_H)),
    "sluice_conf_set_handler": (_ERR, (_H, HANDLER_FN, c_void_p)),
    # engine
    "sluice_engine_new": (_ERR, (_H, _OUT_H)),
    "sluice_engine_stop": (_ERR, (_H, c_int32)),
    "sluice_engine_destroy": (None, (_H,)),
    "sluice_engine_poll": (_ERR, (_H, c_int32, _OUT_H)),
    "sluice_engine_wakeup_fd": (_ERR, (_H, POINTER(c_int32))),
    "sluice_engine_stats": (_ERR, (_H, _OUT_H, POINTER(c_uint64))),
    # batches
    "sluice_batch_destroy": (None, (_H,)),
    "sluice_batch_ack": (_ERR, (_H,)),
    "sluice_batch_fail": (_ERR, (_H,)),
    "sluice_batch_event": (_ERR, (_H, _OUT_H, POINTER(c_uint64))),
    "sluice_batch_records": (_ERR, (_H, POINTER(POINTER(RecordStruct)), POINTER(c_uint64))),
    "sluice_batch_headers": (_ERR, (_H, POINTER(POINTER(HeaderStruct)), POINTER(c_uint64))),
    "sluice_batch_topic": (c_char_p, (_H,)),
    "sluice_batch_partition": (c_int32, (_H,)),
    "sluice_batch_flags": (c_uint32, (_H,)),
    "sluice_batch_attempt": (c_uint32, (_H,)),
    # filters
    "sluice_filter_new": (_ERR, (_BYTES, c_uint64, _OUT_H)),
    "sluice_filter_destroy": (None, (_H,)),
    "sluice_filter_match": (_ERR, (_H, _BYTES, c_uint64, _BYTES, c_uint64, POINTER(c_int32))),
    # sluice_mock.h (unstable test support)
    "sluice_mock_cluster_new": (_ERR, (c_int32, _OUT_H)),
    "sluice_mock_cluster_destroy": (None, (_H,)),
    "sluice_mock_cluster_bootstraps": (c_char_p, (_H,)),
    "sluice_mock_topic_create": (_ERR, (_H, _BYTES, c_int32)),
    "sluice_mock_push_request_errors": (_ERR, (_H, c_int16, c_int32, c_int32)),
    "sluice_mock_broker_set_up": (_ERR, (_H, c_int32, c_int32)),
    "sluice_topic_create": (_ERR, (_BYTES, _BYTES, c_int32, c_int32)),
    "sluice_producer_new": (_ERR, (_BYTES, _OUT_H)),
    "sluice_producer_destroy": (None, (_H,)),
    "sluice_producer_send": (
        _ERR,
        (_H, _BYTES, c_int32, _BYTES, c_uint32, _BYTES, c_uint32, POINTER(HeaderStruct),
         c_uint32, c_int64),
    ),
    "sluice_producer_flush": (_ERR, (_H, c_int32)),
}


def _load() -> Tuple[ctypes.CDLL, str]:
    path = os.environ.get(ENV_VAR)
    if path:
        if not os.path.isabs(path):
            raise LibraryNotFoundError(
                f"{ENV_VAR}={path!r} is not an absolute path; set it to the absolute path of "
                f"{SONAME} (e.g. {ENV_VAR}=/path/to/sluice/build/lib/{SONAME})")
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            raise LibraryNotFoundError(
                f"cannot load libsluice from {ENV_VAR}={path!r}: {e}") from None
    try:
        return ctypes.CDLL(SONAME), SONAME
    except OSError as e:
        raise LibraryNotFoundError(
            f"cannot load {SONAME} through the system loader ({e}). Set {ENV_VAR} to the "
            f"absolute path of {SONAME} (e.g. {ENV_VAR}=/path/to/sluice/build/lib/{SONAME}), "
            "or install libsluice where the loader finds it (cmake --install, then ldconfig)"
        ) from None


def _declare(cdll: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in DECLARATIONS.items():
        try:
            fn = getattr(cdll, name)
        except AttributeError:
            raise LibraryNotFoundError(
                f"{library_path} does not export {name}: an older or different libsluice") from None
        fn.restype = restype
        fn.argtypes = list(argtypes)


lib, library_path = _load()
_declare(lib)

_major = lib.sluice_version_number() // 10000
if _major != _codes.VERSION_MAJOR:
    raise LibraryNotFoundError(
        f"{library_path} is libsluice {lib.sluice_version_string().decode()}, but this binding "
        f"needs ABI major {_codes.VERSION_MAJOR}")

# A read-only byte view of the whole address space, to copy out the bytes the
# record views point to: memory[addr:addr + n].tobytes() costs about 40% of
# ctypes.string_at(addr, n) (no foreign call), which matters at a few copies
# per record. Creating it reads nothing; only ranges the C API hands out as
# valid (record keys, values, header names and values) are ever sliced.
memory = memoryview((ctypes.c_char * sys.maxsize).from_address(0)).cast("B").toreadonly()

_string_at = ctypes.string_at
_error_destroy = lib.sluice_error_destroy


def _opt(s: bytes) -> Optional[str]:
    return s.decode("utf-8", "replace") if s else None


def take_error(err: int) -> Error:
    """Converts a sluice_error_t* into the matching exception and frees it."""
    try:
        code = int(lib.sluice_error_code(err))
        message = (lib.sluice_error_message(err) or b"").decode("utf-8", "replace")
        key = _opt(lib.sluice_error_key(err))
        offset = int(lib.sluice_error_offset(err))
        path = _opt(lib.sluice_error_path(err))
        retriable = bool(lib.sluice_error_retriable(err))
        code_name = (lib.sluice_code_name(code) or b"").decode("ascii", "replace")
    finally:
        _error_destroy(err)
    cls = _codes.ERROR_CLASSES.get(code, Error)
    return cls(message, code=code, code_name=code_name, key=key,
               offset=None if offset < 0 else offset, path=path, retriable=retriable)


def check(err: Optional[int]) -> None:
    """Raises the error if a fallible call returned one."""
    if err:
        raise take_error(err)


def closed_error(what: str) -> Error:
    """The error for a call on a handle the binding already freed: the C
    library would answer INVALID_STATE for a call not allowed now."""
    return _codes.InvalidStateError(f"{what} is closed")


def to_bytes(data: Any, what: str) -> Optional[bytes]:
    """None, bytes, bytes-like or str (UTF-8) -> bytes or None."""
    if data is None or type(data) is bytes:
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"{what} must be bytes, a bytes-like object, str or None, not "
                    f"{type(data).__name__}")


def seconds_to_ms(timeout: Optional[float], *, what: str = "timeout") -> int:
    """None -> -1 (forever); seconds >= 0 -> milliseconds, rounded up, capped
    at the int32 range of the C API."""
    if timeout is None:
        return -1
    t = float(timeout)
    if not t >= 0:  # also rejects NaN
        raise ValueError(f"{what} must be >= 0 seconds or None, not {timeout!r}")
    ms = int(-(-t * 1000 // 1))
    return min(ms, 2**31 - 1)


def version_string() -> str:
    v: bytes = lib.sluice_version_string()
    return v.decode("ascii")
