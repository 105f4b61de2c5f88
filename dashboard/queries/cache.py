"""Answers remembered by the query object of one store version, bounded in bytes.

A published version never changes (a refresh publishes a new file and moves the pointer), so an answer is
true for as long as its version is served. Each version's query object owns its cache: the cache is created
with the version and dropped with it, so no answer can cross versions, and a composite answer (the KPI cards
read a ranking and a period table) is built from one version only. The page asks the same questions over and
over (every control change re-runs several callbacks; many users look at the same pairs), so this turns most
callbacks into dictionary lookups (bench P1, P2 and the load test).
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from typing import Any, Final, Protocol, TypeVar

import pandas as pd
from cachetools import LRUCache

# Per store version and worker process; the ranking of every partner in a period is ~60 kB, a whole
# reporter's period table a few MB.
DEFAULT_CACHE_BYTES: Final = 256 * 1024 * 1024

_MISSING: Final = object()


class Remembering(Protocol):
    """What `remembered` needs of the object whose method it wraps."""

    _answers: LRUCache[tuple[object, ...], Any]
    _answers_lock: threading.Lock


_Method = TypeVar("_Method", bound=Callable[..., Any])


def answer_size(value: object) -> int:
    """About how many bytes `value` holds: frames by their memory use, containers by their items."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=True).sum())
    if is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(answer_size(getattr(value, f.name)) for f in fields(value))
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(answer_size(k) + answer_size(v) for k, v in value.items())
    if isinstance(value, (tuple, list, set, frozenset)):
        return sys.getsizeof(value) + sum(answer_size(v) for v in value)
    return sys.getsizeof(value)


def new_cache(max_bytes: int) -> LRUCache[tuple[object, ...], Any]:
    """A least-recently-used cache holding at most `max_bytes` of answers (see `answer_size`)."""
    return LRUCache(maxsize=max_bytes, getsizeof=answer_size)


def _hashable(value: object) -> object:
    """`value` as a cache key part: lists and tuples as tuples, dicts as sorted item tuples.

    Raises TypeError for values that cannot be a key (the call is then simply not remembered)."""
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    raise TypeError(f"not a cache key: {type(value).__name__}")


def private_copy(value: Any) -> Any:
    """A copy of a remembered answer that the caller may change without changing the remembered one.

    Frames (and frames inside an answer dataclass) and dicts are copied; tuples, strings, numbers and
    frozen dataclasses without a frame are immutable and returned as they are. (Tried: a shallow copy, safe
    under pandas 3's copy-on-write; no faster on the pair or ranking answers, measured, so not kept.)"""
    if isinstance(value, pd.DataFrame):
        return value.copy()
    if isinstance(value, dict):
        return dict(value)
    if is_dataclass(value) and not isinstance(value, type):
        frames = {f.name: getattr(value, f.name).copy() for f in fields(value)
                  if isinstance(getattr(value, f.name), pd.DataFrame)}  # fmt: skip
        return replace(value, **frames) if frames else value
    return value


def _key(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[object, ...]:
    """The cache key of a call of the remembered method `name` (TypeError: not a key, see `_hashable`)."""
    return (name, _hashable(args), _hashable(kwargs))


def remembered_answer(owner: Remembering, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """What `owner`'s remembered `method` holds for this call (the same arguments, passed the same way), the
    remembered object itself, not a private copy, so for reading only; `None` when that call has not been
    answered or was evicted. Nothing is computed."""
    with owner._answers_lock:
        found = owner._answers.get(_key(method.__name__, args, kwargs), _MISSING)
    return None if found is _MISSING else found


def remember(owner: Remembering, method: Callable[..., Any], value: Any, *args: Any, **kwargs: Any) -> None:
    """Hold `value` as `owner`'s remembered `method`'s answer to this call (the same arguments, passed the same
    way): an answer worked out for many calls at once, so that each is then a lookup."""
    with owner._answers_lock, contextlib.suppress(ValueError):
        owner._answers[_key(method.__name__, args, kwargs)] = value


def remembered(method: _Method) -> _Method:
    """Remember a query method's answers in its object's cache, keyed by the method and its arguments."""
    name = method.__name__

    @functools.wraps(method)
    def answer(self: Remembering, *args: Any, **kwargs: Any) -> Any:
        try:
            key = _key(name, args, kwargs)
        except TypeError:
            return method(self, *args, **kwargs)
        with self._answers_lock:
            found = self._answers.get(key, _MISSING)
        if found is _MISSING:
            found = method(self, *args, **kwargs)
            # Larger than the whole cache: answered, not remembered.
            with self._answers_lock, contextlib.suppress(ValueError):
                self._answers[key] = found
        return private_copy(found)

    return answer  # type: ignore[return-value]
