"""Answers kept in memory for as long as the tables they were read from are unchanged.

The key of every answer includes the warehouse's count of writes and the row count of each
table it reads (``warehouse/writes.py``): any load, erasure or data-changing statement
through the warehouse, in this process or another, gives a new key, so an answer is never
served for data it was not computed from. Warehouses that do not count writes
(PostgreSQL) always compute. Meant for the small answers a page needs before its reports
(the range of the data, the filter options), not for the reports themselves.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from tradewinds.warehouse.writes import table_state

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

T = TypeVar("T")
MAX_ENTRIES = 256
_answers: OrderedDict[tuple, Any] = OrderedDict()
_guard = threading.Lock()


def version(warehouse: Warehouse, tables: Iterable[str]) -> tuple | None:
    """(table, writes, rows) for each table; None when the warehouse does not count writes."""
    out = []
    for table in tables:
        state = table_state(warehouse, table)
        if state is None:
            return None
        out.append((table, *state))
    return tuple(out)


def cached(
    warehouse: Warehouse, tables: Iterable[str], key: Hashable, compute: Callable[[], T]
) -> T:
    """``compute()``, or the answer it gave for ``key`` while ``tables`` were as they are."""
    current = version(warehouse, tables)
    if current is None:
        return compute()
    full = (str(getattr(warehouse, "path", id(warehouse))), key, current)
    with _guard:
        if full in _answers:
            _answers.move_to_end(full)
            return _answers[full]
    answer = compute()
    with _guard:
        _answers[full] = answer
        while len(_answers) > MAX_ENTRIES:
            _answers.popitem(last=False)
    return answer
