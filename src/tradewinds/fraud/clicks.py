"""Click logs in: the TalkingData format and the collector's click log, as one columnar
:class:`ClickLog`.

Formats (``FORMATS``):

* ``talkingdata`` — ``ip,app,device,os,channel,click_time,attributed_time,is_attributed``,
  the TalkingData AdTracking layout (``ip`` is an encoded number, not an address; ``app`` is
  the advertised app, ``channel`` the publisher's placement). ``attributed_time`` and
  ``is_attributed`` may be absent from a file to score. Times with or without seconds.
* ``clicks`` — the collector's click log, one click a line, header
  ``click_id,click_time,ip,user_agent,referrer,country,campaign,placement,network,
  conversion_time,dwell_seconds,scroll_depth,page_views``; only ``click_time`` and ``ip``
  are required, the others may be left out or empty.

Every row keeps its position (``row``, 1 = the first line after the header) so that scores
come back in file order and errors name the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from tradewinds.errors import InvalidInput
from tradewinds.i18n_markers import Text

TALKINGDATA = ("ip", "app", "device", "os", "channel", "click_time")
TALKINGDATA_LABELS = ("attributed_time", "is_attributed")
CLICKS_REQUIRED = ("click_time", "ip")
CLICKS_OPTIONAL = (
    "click_id",
    "user_agent",
    "referrer",
    "country",
    "campaign",
    "placement",
    "network",
    "conversion_time",
    "dwell_seconds",
    "scroll_depth",
    "page_views",
)
FORMATS = ("talkingdata", "clicks")
TEXT_COLUMNS = ("click_id", "user_agent", "referrer", "country", "campaign", "placement")


@dataclass
class ClickLog:
    """Clicks in file order, one column per field.

    Always present: ``click_time`` (datetime64, UTC), ``ip`` (text; TalkingData's encoded
    numbers as text too), ``device`` (a device key: TalkingData's device/os, else the user
    agent), ``placement``, ``network``, ``campaign``. Present when the file has them:
    ``conversion_time`` and ``label`` (1 = the click led to an install or order),
    ``click_id``, ``user_agent``, ``referrer``, ``country``, ``dwell_seconds``,
    ``scroll_depth``, ``page_views``; TalkingData files also keep ``app``, ``os``,
    ``channel``, ``device_type`` as integers.
    """

    frame: pd.DataFrame
    format: str
    source: str
    #: the timestamps' precision: 60 when the file's times have no seconds
    resolution_seconds: int
    #: whether ``ip`` holds real addresses (False for TalkingData's encoded numbers)
    real_ips: bool

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def has_labels(self) -> bool:
        return "label" in self.frame.columns

    def head(self, n: int) -> ClickLog:
        return ClickLog(
            self.frame.iloc[:n].reset_index(drop=True),
            self.format,
            self.source,
            self.resolution_seconds,
            self.real_ips,
        )

    def subset(self, mask: np.ndarray) -> ClickLog:
        return ClickLog(
            self.frame.loc[mask].reset_index(drop=True),
            self.format,
            self.source,
            self.resolution_seconds,
            self.real_ips,
        )


def _bad(source: str, row: int | None, field: str, why: str) -> InvalidInput:
    where = Text("%(file)s, row %(row)s", file=source, row=row) if row else source
    return InvalidInput(
        Text("%(where)s, %(field)s: %(why)s", where=where, field=field, why=why),
        details={"file": source, "row": row, "field": field},
    )


def _times(values: pd.Series, *, source: str, field: str, required: bool) -> pd.Series:
    text = values.astype("string").str.strip()
    parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
    bad = parsed.isna() & text.notna() & (text != "")
    if required:
        bad |= text.isna() | (text == "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise _bad(source, i + 1, field, f"not a date and time: {values.iloc[i]!r}")
    return parsed.dt.tz_localize(None).astype("datetime64[s]")


def _resolution(times: pd.Series) -> int:
    seconds = times.dropna().to_numpy().astype("datetime64[s]").astype(np.int64) % 60
    return 60 if len(seconds) and not seconds.any() else 1


def _read_csv(path: Path | IO[bytes], source: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InvalidInput(
            Text("%(file)s: cannot read it as CSV: %(why)s", file=source, why=str(exc)),
            details={"file": source},
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise InvalidInput(
            Text("%(file)s is empty", file=source), details={"file": source}
        ) from exc


def _ints(frame: pd.DataFrame, column: str, source: str) -> np.ndarray:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise _bad(source, i + 1, column, f"not a whole number: {frame[column].iloc[i]!r}")
    return values.to_numpy(dtype=np.int64)


def read_talkingdata(path: Path | IO[bytes], *, source: str | None = None) -> ClickLog:
    """A TalkingData file (plain or .gz CSV)."""
    source = source or str(getattr(path, "name", path))
    try:
        raw = pd.read_csv(
            path,
            engine="pyarrow",
            dtype={c: "int64" for c in ("ip", "app", "device", "os", "channel")}
            | {"click_time": "string", "attributed_time": "string"},
        )
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        # the strict fast reader failed: read it as text and name the bad row
        raw = _read_csv(path, source)
        missing = [c for c in TALKINGDATA if c not in raw.columns]
        if missing:
            raise _missing(source, missing) from exc
        for column in ("ip", "app", "device", "os", "channel"):
            raw[column] = _ints(raw, column, source)
    except pd.errors.EmptyDataError as exc:
        raise InvalidInput(
            Text("%(file)s is empty", file=source), details={"file": source}
        ) from exc
    missing = [c for c in TALKINGDATA if c not in raw.columns]
    if missing:
        raise _missing(source, missing)
    frame = talkingdata_frame(raw, source=source)
    return ClickLog(frame, "talkingdata", source, _resolution(frame["click_time"]), False)


def talkingdata_frame(raw: pd.DataFrame, *, source: str = "clicks") -> pd.DataFrame:
    """The :class:`ClickLog` columns of a TalkingData frame (integer columns as read)."""
    frame = pd.DataFrame(
        {
            "click_time": _times(
                raw["click_time"], source=source, field="click_time", required=True
            ),
            "ip": raw["ip"].to_numpy(),
            "app": raw["app"].to_numpy(dtype=np.int64),
            "device_type": raw["device"].to_numpy(dtype=np.int64),
            "os": raw["os"].to_numpy(dtype=np.int64),
            "channel": raw["channel"].to_numpy(dtype=np.int64),
        }
    )
    frame["device"] = frame["device_type"] * 100_000 + frame["os"]
    frame["placement"] = frame["channel"]
    frame["campaign"] = frame["app"]
    frame["network"] = "talkingdata"
    if "attributed_time" in raw.columns:
        frame["conversion_time"] = _times(
            raw["attributed_time"], source=source, field="attributed_time", required=False
        )
    if "is_attributed" in raw.columns:
        labels = pd.to_numeric(raw["is_attributed"], errors="coerce")
        bad = ~labels.isin([0, 1])
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise _bad(source, i + 1, "is_attributed", "must be 0 or 1")
        frame["label"] = labels.to_numpy(dtype=np.int8)
    return frame


def _missing(source: str, missing: list[str]) -> InvalidInput:
    return InvalidInput(
        Text(
            "%(file)s: the header lacks %(columns)s",
            file=source,
            columns=", ".join(missing),
        ),
        details={"file": source, "field": missing[0]},
    )


def read_clicks(path: Path | IO[bytes], *, source: str | None = None) -> ClickLog:
    """A click log in the ``clicks`` layout (see the module docstring)."""
    source = source or str(getattr(path, "name", path))
    raw = _read_csv(path, source)
    raw.columns = [c.strip().lower() for c in raw.columns]
    missing = [c for c in CLICKS_REQUIRED if c not in raw.columns]
    if missing:
        raise _missing(source, missing)
    return clicks_from_frame(raw, source=source)


def clicks_from_frame(raw: pd.DataFrame, *, source: str = "clicks") -> ClickLog:
    """A :class:`ClickLog` from a frame with the ``clicks`` layout's columns (text)."""
    frame = pd.DataFrame(
        {"click_time": _times(raw["click_time"], source=source, field="click_time", required=True)}
    )
    ips = raw["ip"].astype("string").str.strip()
    if (ips.isna() | (ips == "")).any():
        i = int(np.flatnonzero((ips.isna() | (ips == "")).to_numpy())[0])
        raise _bad(source, i + 1, "ip", "empty")
    frame["ip"] = ips.to_numpy(dtype=object)
    for column in TEXT_COLUMNS + ("network",):
        if column in raw.columns:
            frame[column] = (
                raw[column].astype("string").str.strip().fillna("").to_numpy(dtype=object)
            )
    for column in ("campaign", "placement", "network"):
        if column not in frame.columns:
            frame[column] = ""
    if "country" in frame.columns:
        frame["country"] = frame["country"].str.upper()
    frame["device"] = frame["user_agent"] if "user_agent" in frame.columns else ""
    if "conversion_time" in raw.columns:
        frame["conversion_time"] = _times(
            raw["conversion_time"], source=source, field="conversion_time", required=False
        )
        frame["label"] = frame["conversion_time"].notna().to_numpy(dtype=np.int8)
    for column in ("dwell_seconds", "scroll_depth", "page_views"):
        if column in raw.columns:
            values = pd.to_numeric(raw[column], errors="coerce")
            bad = values.isna() & raw[column].notna()
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise _bad(source, i + 1, column, f"not a number: {raw[column].iloc[i]!r}")
            frame[column] = values.to_numpy(dtype=float)
    return ClickLog(frame, "clicks", source, _resolution(frame["click_time"]), True)


def read(path: Path | IO[bytes], fmt: str, *, source: str | None = None) -> ClickLog:
    """Read a click file in one of ``FORMATS``."""
    if fmt == "talkingdata":
        return read_talkingdata(path, source=source)
    if fmt == "clicks":
        return read_clicks(path, source=source)
    raise InvalidInput(
        Text(
            "--format must be one of %(formats)s: %(value)s", formats=", ".join(FORMATS), value=fmt
        ),
        details={"field": "format"},
    )
