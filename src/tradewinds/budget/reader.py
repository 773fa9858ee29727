"""Daily spend and revenue from a CSV file: one row a day, a date column, the target
column (revenue) and every other numeric column one channel's spend that day.

Bad input is refused with the file, the row (as a spreadsheet numbers it: the header is
row 1), the column and why.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np

from tradewinds.budget.model import MediaData
from tradewinds.errors import InvalidInput


def _number(text: str) -> float | None:
    value = text.strip().replace(",", "").replace("_", "")
    if value == "":
        return None
    try:
        return float(value)
    except ValueError:
        return None


def read_csv(path: Path, *, date_column: str = "date", target: str = "revenue") -> MediaData:
    """The days of ``path`` in date order; gaps between days are refused (a missing day is
    not the same as a day of zero spend)."""
    name = str(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidInput(f"{name}: cannot be read ({exc.strerror})") from None
    with handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise InvalidInput(f"{name}: the file is empty")
    header = [h.strip() for h in rows[0]]
    for wanted, option in ((date_column, "--date-column"), (target, "--target")):
        if wanted not in header:
            raise InvalidInput(
                f"{name}: no column {wanted!r} (give its name with {option}); "
                f"the columns are {', '.join(header)}",
                details={"file": name, "column": wanted},
            )
    d_i, t_i = header.index(date_column), header.index(target)
    others = [i for i in range(len(header)) if i not in (d_i, t_i)]
    days: list[date] = []
    revenue: list[float] = []
    values: dict[int, list[float | None]] = {i: [] for i in others}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise _bad(name, number, None, f"has {len(row)} fields, the header {len(header)}")
        try:
            day = date.fromisoformat(row[d_i].strip())
        except ValueError:
            raise _bad(
                name, number, date_column, f"{row[d_i]!r} is not a date (write YYYY-MM-DD)"
            ) from None
        amount = _number(row[t_i])
        if amount is None:
            raise _bad(name, number, target, f"{row[t_i]!r} is not a number")
        days.append(day)
        revenue.append(amount)
        for i in others:
            values[i].append(_number(row[i]))
    if not days:
        raise InvalidInput(f"{name}: no rows after the header")
    channels = {}
    for i in others:
        column = values[i]
        if all(v is None for v in column):
            continue  # a text column (a note, a campaign name): not spend
        for offset, v in enumerate(column):
            if v is None:
                raise _bad(name, offset + 2, header[i], "is empty or not a number")
            if v < 0:
                raise _bad(name, offset + 2, header[i], f"spend {v:g} is negative")
        channels[header[i]] = np.array(column, dtype=float)
    if not channels:
        raise InvalidInput(f"{name}: no numeric column besides {date_column} and {target}")
    order = np.argsort(np.array(days, dtype="datetime64[D]"))
    stamps = np.array(days, dtype="datetime64[D]")[order]
    steps = np.diff(stamps).astype(int)
    if (steps == 0).any():
        i = int(np.argmax(steps == 0))
        raise InvalidInput(f"{name}: the day {stamps[i + 1]} appears twice")
    if (steps > 1).any():
        i = int(np.argmax(steps > 1))
        raise InvalidInput(
            f"{name}: no row for the days between {stamps[i]} and {stamps[i + 1]} "
            "(give every day, with 0 for no spend)"
        )
    return MediaData(
        days=stamps,
        revenue=np.array(revenue, dtype=float)[order],
        spend={k: v[order] for k, v in channels.items()},
    )


def _bad(file: str, row: int, column: str | None, why: str) -> InvalidInput:
    where = f"{file}: row {row}" + (f", column {column!r}" if column else "")
    return InvalidInput(
        f"{where}: {why}", details={"file": file, "row": row, "column": column, "reason": why}
    )
