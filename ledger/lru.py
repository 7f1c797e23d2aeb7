"""A small thread-safe LRU cache (request threads share the application's caches)."""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LruCache(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class PickledLru(Generic[K, V]):
    """An LRU cache that keeps its values pickled and hands out a fresh copy on every get.

    Bytes are invisible to the garbage collector. Live cached objects were not: tens of thousands of cached
    aggregates and schedules (about 140 objects per contract) made each full collection scan millions of
    objects, a 100 ms to 1 s pause of every request. A copy per get also means a caller may mutate it.
    """

    def __init__(self, size: int) -> None:
        self._items: LruCache[K, bytes] = LruCache(size)

    def get(self, key: K) -> V | None:
        raw = self._items.get(key)
        return None if raw is None else pickle.loads(raw)  # noqa: S301 (our own bytes, never from outside)

    def put(self, key: K, value: V) -> None:
        self._items.put(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
