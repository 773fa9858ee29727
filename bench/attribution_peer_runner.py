"""Runs ChannelAttribution inside bench/.venv-peer (never imported by Tradewinds).

Reads a JSON job on stdin, prints a JSON answer on stdout. Jobs:
  {"task": "heuristic", "file": ...}
  {"task": "markov", "file": ..., "order": 1, "nsim_start": 1e5, "seed": 0, "defaults": false}
"""

import contextlib
import io
import json
import sys
import time

import pandas as pd


def main() -> None:
    job = json.load(sys.stdin)
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        import ChannelAttribution as ca

        data = pd.read_csv(job["file"], sep=";")
        read_s = time.perf_counter() - started
        if job["task"] == "heuristic":
            res = ca.heuristic_models(
                data,
                "path",
                "total_conversions",
                var_value="total_conversion_value",
                flg_pro=False,
            )
            out = {"rows": res.to_dict(orient="records")}
        else:
            kwargs = {
                "var_value": "total_conversion_value",
                "var_null": "total_null",
                "out_more": True,
                "verbose": False,
                "flg_pro": False,
            }
            if not job.get("defaults"):
                kwargs.update(
                    order=job.get("order", 1),
                    nsim_start=job.get("nsim_start", 1e5),
                    seed=job.get("seed", 0),
                )
            res = ca.markov_model(data, "path", "total_conversions", **kwargs)
            out = {
                "rows": res["result"].to_dict(orient="records"),
                "removal_effects": res["removal_effects"].to_dict(orient="records"),
            }
    out["seconds"] = time.perf_counter() - started
    out["read_seconds"] = read_s
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
