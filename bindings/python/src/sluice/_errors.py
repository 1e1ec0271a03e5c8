"""The base of sluice's exception hierarchy. The subclasses, one per C error
code, are generated into _codes.py from sluice.h."""
from __future__ import annotations

from typing import Optional


class Error(Exception):
    """An error reported by libsluice (a ``sluice_error_t``), or by the binding
    for a call the C library would reject the same way (e.g. on a closed
    handle).

    Attributes:
        code: the stable numeric code (``SLUICE_ERR_*``).
        code_name: its symbolic name, e.g. ``"SLUICE_ERR_UNKNOWN_KEY"``.
        message: the human-readable message (also ``str(error)``).
        key: the configuration key the error is about, or None.
        offset: for pattern and value errors, the byte offset of the problem
            in the value, or None.
        path: for pattern errors, a JSON path into the pattern
            (``"$[0].value.price"``), or None.
        retriable: True if retrying the same call later may succeed.

    Codes this binding does not know (a newer library) raise ``Error`` itself,
    with ``code_name`` as the library reports it.
    """

    CODE: int = 0
    CODE_NAME: str = "SLUICE_ERR_UNKNOWN"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[int] = None,
        code_name: Optional[str] = None,
        key: Optional[str] = None,
        offset: Optional[int] = None,
        path: Optional[str] = None,
        retriable: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code: int = self.CODE if code is None else code
        self.code_name: str = self.CODE_NAME if code_name is None else code_name
        self.key = key
        self.offset = offset
        self.path = path
        self.retriable = retriable

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        extra = "".join(
            f", {name}={value!r}"
            for name, value in (("key", self.key), ("offset", self.offset), ("path", self.path))
            if value is not None
        )
        return f"{type(self).__name__}({self.message!r}, code_name={self.code_name!r}{extra})"

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Keyword-only attributes survive pickling (multiprocessing, logging).
        return (_rebuild, (type(self), self.message, self.code, self.code_name, self.key,
                           self.offset, self.path, self.retriable))


def _rebuild(cls: type, message: str, code: int, code_name: str, key: Optional[str],
             offset: Optional[int], path: Optional[str], retriable: bool) -> Error:
    err: Error = cls(message, code=code, code_name=code_name, key=key, offset=offset, path=path,
                     retriable=retriable)
    return err
