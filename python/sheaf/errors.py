"""Exceptions: one class per family of sheaf_status, each carrying the C
message (sheaf_last_error) and the status name."""

from . import _lib


class SheafError(Exception):
    """A sheaf call failed. str(e) is the C library's message; e.status is the
    status name, e.g. "SHEAF_ERR_FORMAT"."""

    status = None  # set on every instance the library raises


class SheafValueError(SheafError, ValueError):
    """Bad input: invalid argument, dimension mismatch, non-finite value, or
    malformed data (FORMAT)."""


class SheafMemoryError(SheafError, MemoryError):
    """The C library ran out of memory."""


class SheafIOError(SheafError, OSError):
    """A file could not be opened, read or written."""


_CLASS_BY_STATUS = {
    _lib.INVALID_ARGUMENT: SheafValueError,
    _lib.DIMENSION: SheafValueError,
    _lib.NONFINITE: SheafValueError,
    _lib.FORMAT: SheafValueError,
    _lib.NOMEM: SheafMemoryError,
    _lib.IO: SheafIOError,
}


def check(status):
    """Raise the exception for a failed status. Must be called right after the
    failing C call, in the same thread: the message is thread-local and the
    next failing call overwrites it."""
    if status == _lib.OK:
        return
    message = _lib.lib.sheaf_last_error().decode("utf-8", "replace")
    name = _lib.lib.sheaf_status_name(status).decode("ascii", "replace")
    # One positional argument only: OSError would read two as (errno, strerror).
    error = _CLASS_BY_STATUS.get(status, SheafError)(message or name)
    error.status = name
    raise error
