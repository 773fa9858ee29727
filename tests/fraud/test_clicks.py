"""Reading click files: the TalkingData layout, the collector's click log, clear errors."""

from __future__ import annotations

import pytest

from tradewinds.errors import InvalidInput
from tradewinds.fraud import clicks

TD = (
    "ip,app,device,os,channel,click_time,attributed_time,is_attributed\n"
    "87540,12,1,13,497,2017-11-07 9:30,,0\n"
    "105560,25,1,17,259,2017-11-07 13:40,2017-11-07 13:52,1\n"
)


def test_talkingdata_without_seconds(tmp_path):
    path = tmp_path / "td.csv"
    path.write_text(TD)
    log = clicks.read(path, "talkingdata")
    assert len(log) == 2 and log.resolution_seconds == 60 and not log.real_ips
    assert log.frame["label"].tolist() == [0, 1]
    assert str(log.frame["click_time"].iloc[0]) == "2017-11-07 09:30:00"


def test_talkingdata_bad_row_is_named(tmp_path):
    path = tmp_path / "td.csv"
    path.write_text(TD + "1,2,3,4,5,not a time,,0\n")
    with pytest.raises(InvalidInput, match=r"row 3, click_time: not a date"):
        clicks.read(path, "talkingdata")


def test_talkingdata_missing_column(tmp_path):
    path = tmp_path / "td.csv"
    path.write_text("ip,app,click_time\n1,2,2017-11-07 9:30\n")
    with pytest.raises(InvalidInput, match="lacks device, os, channel"):
        clicks.read(path, "talkingdata")


def test_click_log_and_unknown_format(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("click_time,ip,dwell_seconds\n2026-11-02T09:00:05,81.2.3.4,12\n")
    log = clicks.read(path, "clicks")
    assert log.real_ips and log.resolution_seconds == 1
    path.write_text("click_time,ip,dwell_seconds\n2026-11-02T09:00:05,81.2.3.4,long\n")
    with pytest.raises(InvalidInput, match="row 1, dwell_seconds: not a number"):
        clicks.read(path, "clicks")
    with pytest.raises(InvalidInput, match="--format must be one of"):
        clicks.read(path, "csv")
