"""The read-only SQL console over the workspace's warehouse, for analysts and above."""

from __future__ import annotations

import threading
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tradewinds.api.deps import SessionDep, SqlRunner, client_ip
from tradewinds.auth import audit

router = APIRouter(prefix="/sql", tags=["sql"])

DEFAULT_LIMIT = 1_000
MAX_LIMIT = 10_000


class SqlIn(BaseModel):
    sql: str = Field(
        min_length=1,
        max_length=100_000,
        examples=["SELECT platform, sum(spend) FROM ad_spend_daily GROUP BY 1"],
    )
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="most rows returned")


class SqlOut(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = Field(
        description="true when the query had more rows than the limit "
        "(or more data than the console returns at once, about 50 MB)"
    )


# Many console calls can finish at the same moment: their audit entries are written and
# committed one at a time, so they never race each other for the log's next entry.
_audit_lock = threading.Lock()


def record_console_use(session: Any, **entry: Any) -> None:
    """Write the console's audit entry (action ``sql.run``) and commit it."""
    with _audit_lock:
        audit.record(session, action="sql.run", target="warehouse", **entry)
        session.commit()


def json_value(value: Any) -> Any:
    """Warehouse values as JSON: money as numbers (like `tradewinds sql --json`), dates as ISO."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def run_sql(*, workspace_key: str, sql: str, limit: int) -> SqlOut:
    """Run one checked read-only query; ReadOnlyViolation / WarehouseError propagate."""
    from tradewinds.warehouse.console import run_workspace_sql

    result = run_workspace_sql(workspace_key=workspace_key, sql=sql, limit=limit)
    return SqlOut(
        columns=list(result.columns),
        rows=[[json_value(v) for v in row] for row in result.rows],
        truncated=result.truncated,
    )


BUSY_RETRY_SECONDS = 5


@router.post(
    "",
    response_model=SqlOut,
    responses={
        422: {"description": "refused or failed"},
        503: {
            "description": "the SQL console is busy (every place is taken); try again after "
            "the number of seconds in Retry-After"
        },
    },
)
def run(body: SqlIn, request: Request, session: SessionDep, principal: SqlRunner) -> Any:
    """Run one SELECT over the warehouse tables (see docs/warehouse.md); writes are refused."""
    from tradewinds.warehouse.console import ConsoleBusy
    from tradewinds.warehouse.errors import ReadOnlyViolation, WarehouseError

    key, workspace_id, actor = principal.workspace.key, principal.workspace_id, principal.actor
    session.commit()  # hold no app-DB lock while the query runs (it may take 30 s)
    code, message = None, None
    try:
        out = run_sql(workspace_key=key, sql=body.sql, limit=body.limit)
    except ReadOnlyViolation as exc:
        code, message = "read_only", str(exc)
    except ConsoleBusy as exc:
        code, message = "busy", str(exc)
    except WarehouseError as exc:
        code, message = "sql_error", str(exc)
    details: dict[str, Any] = {"sql": body.sql[:2000]}
    if code:
        details["refused" if code == "read_only" else "error"] = message
    else:
        details["rows"] = len(out.rows)
    # the console can read customer data: keep a trail, refusals included
    record_console_use(
        session,
        actor=actor,
        workspace_id=workspace_id,
        details=details,
        ip=client_ip(request),
    )
    if code == "busy":
        return JSONResponse(
            {"error": {"code": code, "message": message, "details": None}},
            503,
            headers={"Retry-After": str(BUSY_RETRY_SECONDS)},
        )
    if code:
        return JSONResponse({"error": {"code": code, "message": message, "details": None}}, 422)
    return out
