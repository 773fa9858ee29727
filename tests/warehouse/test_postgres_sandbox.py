"""The SQL console on a PostgreSQL warehouse reads only its own workspace's schema.

Each escape runs straight through ``warehouse.readonly()`` (past the console's checker) and
through ``console.run_readonly``, while another thread queries the same workspace, and must
be refused by PostgreSQL itself with nothing from another schema or from a file.
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from tests.services import need_postgres
from tradewinds.warehouse import WarehouseError, open_warehouse
from tradewinds.warehouse.backend import Warehouse
from tradewinds.warehouse.console import run_readonly
from tradewinds.warehouse.factory import postgres_schema_name
from tradewinds.warehouse.postgres_backend import conninfo
from tradewinds.warehouse.postgres_roles import console_role_name, drop_console_role

PASSWD_LINE = re.compile(r"root:.*:0:0:")


@dataclass
class Workspaces:
    url: str
    mine: str
    other: str
    secret: str

    @property
    def mine_schema(self) -> str:
        return postgres_schema_name(self.mine)

    @property
    def other_schema(self) -> str:
        return postgres_schema_name(self.other)

    @property
    def role(self) -> str:
        return console_role_name(self.mine_schema)


def _order(n: int, title: str) -> tuple[dict[str, object], dict[str, object]]:
    order = {
        "order_id": f"o{n}",
        "customer_id": f"c{n}",
        "storefront": "shopify",
        "ordered_at": datetime(2024, 1, 3, 12, n, tzinfo=UTC),
        "country": "DE",
        "currency": "USD",
        "total": Decimal("10.50") * n,
    }
    line = {
        "order_id": f"o{n}",
        "line_no": 1,
        "title": title,
        "quantity": n,
        "unit_price": Decimal("10.50"),
        "currency": "USD",
    }
    return order, line


def _load(warehouse: Warehouse, title: str) -> None:
    orders, lines = zip(*(_order(n, title) for n in (1, 2, 3)), strict=True)
    warehouse.load("orders", list(orders))
    warehouse.load("order_lines", list(lines))
    warehouse.load(
        "fx_rates",
        [{"date": date(2024, 1, 3), "base": "EUR", "quote": "USD", "rate": Decimal("1.0919")}],
    )


def _drop(url: str, schemas: list[str], roles: list[str] = ()) -> None:
    with psycopg.connect(conninfo(url), autocommit=True) as con:
        for schema in schemas:
            con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            drop_console_role(con, schema)
        for role in roles:
            con.execute(f'DROP OWNED BY "{role}"')
            con.execute(f'DROP ROLE IF EXISTS "{role}"')


def _new_key() -> str:
    return f"sbx{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def workspaces() -> Iterator[Workspaces]:
    """Two workspaces in their own schemas; the other one holds a secret product title."""
    url = need_postgres()
    ws = Workspaces(url, _new_key(), _new_key(), f"secret-{uuid.uuid4().hex}")
    try:
        with open_warehouse(ws.other, url=url) as other:
            _load(other, ws.secret)
        with open_warehouse(ws.mine, url=url) as mine:
            _load(mine, "Mug")
        yield ws
    finally:
        _drop(url, [ws.mine_schema, ws.other_schema])


@pytest.fixture
def busy(workspaces: Workspaces) -> Iterator[list[BaseException]]:
    """Another thread querying the same workspace's warehouse all along; yields its errors."""
    stop, started = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def work() -> None:
        while not stop.is_set():
            try:
                with open_warehouse(workspaces.mine, url=workspaces.url) as wh:
                    assert wh.query("SELECT count(*) AS n FROM orders").scalar() == 3
                    result = run_readonly(wh, "SELECT sum(quantity) AS q FROM order_lines")
                    assert result.scalar() == 6
            except BaseException as exc:  # reported by the test below
                errors.append(exc)
                return
            finally:
                started.set()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    assert started.wait(30), "the concurrent query never ran"
    try:
        yield errors
    finally:
        stop.set()
        thread.join(30)
    assert errors == []


# (query, what PostgreSQL says when it refuses it); {other} is the other workspace's schema
ESCAPES = [
    ("SELECT pg_read_file('/etc/passwd') AS f", "permission denied for function pg_read_file"),
    ("SELECT pg_read_binary_file('/etc/passwd') AS f", "permission denied for function"),
    ("SELECT pg_ls_dir('.') AS f", "permission denied for function pg_ls_dir"),
    ("SELECT * FROM pg_ls_dir('.') AS f", "permission denied for function pg_ls_dir"),
    ("SELECT (pg_stat_file('/etc/passwd')).size AS f", "permission denied for function"),
    ("SELECT * FROM pg_ls_waldir()", "permission denied for function"),
    ("SELECT lo_import('/etc/passwd') AS f", "permission denied|read-only"),
    ("SELECT pg_reload_conf() AS f", "permission denied for function"),
    (
        "SELECT query_to_xml('select count(*) from {other}.order_lines', true, true, '') AS x",
        "permission denied for schema",
    ),
    (
        "SELECT query_to_xml('select title from \"{other}\".order_lines', true, true, '') AS x",
        "permission denied for schema",
    ),
    ("SELECT table_to_xml('{other}.order_lines', true, true, '') AS x", "permission denied"),
    ("SELECT schema_to_xml('{other}', true, true, '') AS x", "permission denied"),
    (
        "SELECT query_to_xml('select * from pg_authid', true, true, '') AS x",
        "permission denied for table pg_authid",
    ),
    (
        "SELECT query_to_xml('select pg_read_file(''/etc/passwd'')', true, true, '') AS x",
        "permission denied for function pg_read_file",
    ),
    ("SELECT current_setting('data_directory') AS d", "pg_read_all_settings"),
    ("SELECT current_setting('config_file') AS d", "pg_read_all_settings"),
    (
        "SELECT set_config('search_path', '{other}', true) AS p, "
        "query_to_xml('select title from order_lines', true, true, '') AS x",
        "does not exist|permission denied",
    ),
    ("SELECT * FROM {other}.order_lines", "permission denied for schema"),
    ('SELECT title FROM "{other}".order_lines', "permission denied for schema"),
    ("WITH x AS (SELECT * FROM {other}.orders) SELECT * FROM x", "permission denied for schema"),
    ("SELECT * FROM {other}.fx_daily", "permission denied for schema"),
    ("SELECT * FROM order_lines UNION ALL SELECT * FROM {other}.order_lines", "permission denied"),
    ("SET ROLE postgres", "returns none"),
    ("RESET ROLE", "returns none"),
    ("SET SESSION AUTHORIZATION postgres", "returns none"),
    ("RESET ROLE; SELECT * FROM {other}.order_lines", "multiple commands"),
    (
        "SELECT set_config('role', 'postgres', true) AS r, "
        "query_to_xml('select title from {other}.order_lines', true, true, '') AS x",
        'cannot set parameter "role" within security-definer function',
    ),
    (
        "SELECT set_config('role', 'none', false) AS r, pg_read_file('/etc/passwd') AS f",
        "cannot set parameter|permission denied",
    ),
    (
        "SELECT set_config('session_authorization', 'postgres', true) AS r",
        'cannot set parameter "session_authorization"',
    ),
    (
        "SELECT set_config('transaction_read_only', 'off', true) AS r, "
        "query_to_xml('delete from orders returning 1', true, true, '') AS x",
        "read-write mode|read-only",
    ),
    ("COPY (SELECT 1) TO PROGRAM 'id'", "syntax error|returns none"),
    ("SELECT dblink('dbname=test', 'select 1') AS d", "does not exist"),
    ("DELETE FROM orders RETURNING *", "syntax error|read-only"),
]


def _escape(sql: str, ws: Workspaces) -> str:
    return sql.replace("{other}", ws.other_schema)


def _assert_nothing_leaked(text: str, ws: Workspaces) -> None:
    assert ws.secret not in text
    assert not PASSWD_LINE.search(text)


@pytest.mark.parametrize(("sql", "refusal"), ESCAPES, ids=[e[0][:60] for e in ESCAPES])
def test_escapes_are_refused_by_postgresql_itself(
    workspaces: Workspaces, busy: list[BaseException], sql: str, refusal: str
) -> None:
    query = _escape(sql, workspaces)
    with open_warehouse(workspaces.mine, url=workspaces.url) as wh:
        with pytest.raises(WarehouseError) as direct, wh.readonly() as run:
            rows = run(query, timeout=10).fetchall()
            _assert_nothing_leaked(repr(rows), workspaces)
        assert re.search(refusal, str(direct.value)), str(direct.value)
        _assert_nothing_leaked(str(direct.value), workspaces)

        with pytest.raises(WarehouseError) as console:
            run_readonly(wh, query, timeout=10)
        _assert_nothing_leaked(str(console.value), workspaces)
        assert wh.count("orders") == 3
    assert busy == []


def test_the_console_role_itself_is_refused_server_programs_and_files(
    workspaces: Workspaces,
) -> None:
    """What the role may do, checked without the console in between (plain SET ROLE)."""
    statements = [
        "COPY (SELECT 1) TO PROGRAM 'true'",
        "COPY orders FROM PROGRAM 'true'",
        "COPY (SELECT 1) TO '/tmp/tradewinds-console-test'",
        "SELECT pg_read_file('/etc/passwd')",
        "SELECT lo_import('/etc/passwd')",
        f'SELECT count(*) FROM "{workspaces.other_schema}".orders',
        f"SELECT table_to_xml('\"{workspaces.other_schema}\".orders', true, true, '')",
    ]
    with psycopg.connect(conninfo(workspaces.url), autocommit=True) as con:
        for sql in statements:
            with pytest.raises(psycopg.Error) as excinfo, con.transaction(force_rollback=True):
                con.execute(f'SET LOCAL ROLE "{workspaces.role}"')
                con.execute(sql)
            assert re.search(
                "permission denied|must be superuser|privileges of", str(excinfo.value)
            )


def test_the_console_role_has_only_its_own_schema(workspaces: Workspaces) -> None:
    role, mine, other = workspaces.role, workspaces.mine_schema, workspaces.other_schema
    with psycopg.connect(conninfo(workspaces.url), autocommit=True) as con:
        attributes = con.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolinherit, "
            "rolreplication, rolbypassrls FROM pg_roles WHERE rolname = %s",
            [role],
        ).fetchone()
        assert attributes == (False,) * 7
        rights = con.execute(
            "SELECT has_schema_privilege(%(r)s, %(mine)s, 'USAGE'), "
            "has_schema_privilege(%(r)s, %(mine)s, 'CREATE'), "
            "has_schema_privilege(%(r)s, %(other)s, 'USAGE'), "
            "has_schema_privilege(%(r)s, 'public', 'CREATE'), "
            "has_table_privilege(%(r)s, %(orders)s, 'SELECT'), "
            "has_table_privilege(%(r)s, %(orders)s, 'INSERT'), "
            "has_table_privilege(%(r)s, %(fx)s, 'SELECT'), "
            "has_table_privilege(%(r)s, %(other_orders)s, 'SELECT')",
            {
                "r": role,
                "mine": mine,
                "other": other,
                "orders": f'"{mine}".orders',
                "fx": f'"{mine}".fx_daily',
                "other_orders": f'"{other}".orders',
            },
        ).fetchone()
        assert rights == (True, False, False, False, True, False, True, False)


def test_own_tables_and_views_still_answer_under_the_role(
    workspaces: Workspaces, busy: list[BaseException]
) -> None:
    with open_warehouse(workspaces.mine, url=workspaces.url) as wh:
        with wh.readonly() as run:  # current_user is not on the console's list of functions
            who = run("SELECT current_user AS u, current_schemas(false) AS path", timeout=5)
            assert who.fetchall() == [(workspaces.role, [workspaces.mine_schema])]
        result = run_readonly(
            wh,
            "SELECT o.order_id, o.total, o.ordered_at, l.title, f.per_eur "
            "FROM orders o JOIN order_lines l USING (order_id) "
            "JOIN fx_daily f ON f.currency = o.currency AND f.day = CAST(o.ordered_at AS DATE) "
            "ORDER BY o.order_id",
            limit=2,
        )
        assert result.columns == ["order_id", "total", "ordered_at", "title", "per_eur"]
        rate = Decimal("1.0919")
        assert result.rows == [
            ("o1", Decimal("10.50"), datetime(2024, 1, 3, 12, 1, tzinfo=UTC), "Mug", rate),
            ("o2", Decimal("21.00"), datetime(2024, 1, 3, 12, 2, tzinfo=UTC), "Mug", rate),
        ]
        assert result.truncated
        with wh.readonly() as run:
            same_names = run("SELECT 1 AS a, 'x' AS a", timeout=5)
            assert [d.name for d in same_names.description] == ["a", "a"]
            assert same_names.fetchall() == [(1, "x")]
            capped = run("SELECT order_id FROM orders ORDER BY order_id", max_rows=2)
            assert capped.fetchall() == [("o1",), ("o2",)]
    assert busy == []


def test_limits_apply_under_the_role(workspaces: Workspaces) -> None:
    with open_warehouse(workspaces.mine, url=workspaces.url) as wh, wh.readonly() as run:
        settings = run(
            "SELECT current_setting('work_mem') AS w, "
            "current_setting('idle_in_transaction_session_timeout') AS i, "
            "current_setting('transaction_read_only') AS r",
            timeout=7,
        ).fetchall()
        assert settings == [("32MB", "1min", "on")]
        timeout = run("SELECT current_setting('statement_timeout') AS t", timeout=7).fetchall()
        assert timeout == [("7s",)]
        with pytest.raises(WarehouseError) as excinfo:
            run("SELECT count(*) AS n FROM generate_series(1, 10000000000)", timeout=0.2)
    assert "took longer than 0.2 s" in str(excinfo.value)


def test_a_column_without_a_value_is_refused_with_the_reason(workspaces: Workspaces) -> None:
    wh = open_warehouse(workspaces.mine, url=workspaces.url)
    with wh, pytest.raises(WarehouseError) as excinfo, wh.readonly() as run:
        run("SELECT pg_sleep(0) AS s")
    assert "column 's' has no value to show (its type is void)" in str(excinfo.value)


def test_other_sessions_query_text_stays_hidden(
    workspaces: Workspaces, busy: list[BaseException]
) -> None:
    marker = f"marker-{uuid.uuid4().hex}"
    with psycopg.connect(conninfo(workspaces.url), autocommit=True) as elsewhere:
        elsewhere.execute(f"SELECT '{marker}' AS m").fetchall()
        pid = elsewhere.info.backend_pid
        with open_warehouse(workspaces.mine, url=workspaces.url) as wh, wh.readonly() as run:
            seen = run(f"SELECT pid, query FROM pg_stat_activity WHERE pid = {pid}").fetchall()
            everything = run("SELECT string_agg(query, ' ') AS q FROM pg_stat_activity").fetchall()
    assert seen == [(pid, "<insufficient privilege>")]
    assert marker not in repr(everything)


def test_the_console_role_is_dropped_with_its_schema(tw_home: Path) -> None:
    url = need_postgres()
    key = _new_key()
    schema = postgres_schema_name(key)
    try:
        open_warehouse(key, url=url).close()
        with psycopg.connect(conninfo(url), autocommit=True) as con:
            con.execute(f'DROP SCHEMA "{schema}" CASCADE')
            drop_console_role(con, schema)
            left = con.execute(
                "SELECT count(*) FROM pg_roles WHERE rolname = %s", [console_role_name(schema)]
            ).fetchone()
        assert left == (0,)
    finally:
        _drop(url, [schema])


# -- database users other than a superuser ----------------------------------------------


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def warnings_logged() -> Iterator[list[str]]:
    handler = _Records()
    logger = logging.getLogger("tradewinds.warehouse")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


@pytest.fixture
def app_user(tw_home: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A warehouse URL for a fresh login user that may create schemas (and, when the test
    is parametrized so, roles); the user, its schemas and its roles are dropped after."""
    base = need_postgres()
    user = f"tw_app_{uuid.uuid4().hex[:10]}"
    createrole = getattr(request, "param", False)
    with psycopg.connect(conninfo(base), autocommit=True) as con:
        dbname = con.info.dbname
        con.execute(f'CREATE ROLE "{user}" LOGIN NOSUPERUSER {"CREATEROLE" if createrole else ""}')
        con.execute(f'GRANT CREATE ON DATABASE "{dbname}" TO "{user}"')
    url = sa.engine.make_url(base).set(username=user).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with psycopg.connect(conninfo(base), autocommit=True) as con:
            schemas = con.execute(
                "SELECT nspname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner "
                "WHERE r.rolname = %s",
                [user],
            ).fetchall()
        _drop(base, [s for (s,) in schemas], [user])


def test_without_createrole_the_console_falls_back_and_says_so_once(
    app_user: str, warnings_logged: list[str]
) -> None:
    key = _new_key()
    with open_warehouse(key, url=app_user) as wh:
        _load(wh, "Mug")
        with wh.readonly() as run:  # current_user is not on the console's list of functions
            first = run("SELECT current_user AS u, count(*) AS n FROM orders", timeout=5)
            first_rows = first.fetchall()
        again = run_readonly(wh, "SELECT sum(quantity) AS q FROM order_lines")
    user = sa.engine.make_url(app_user).username
    assert first_rows == [(user, 3)]
    assert again.scalar() == 6
    about_roles = [m for m in warnings_logged if "CREATEROLE" in m]
    assert len(about_roles) == 1
    assert "cannot create roles" in about_roles[0]


@pytest.mark.parametrize("app_user", [True], indirect=True, ids=["createrole"])
def test_a_createrole_user_gets_the_same_sandbox(app_user: str, warnings_logged: list[str]) -> None:
    mine, other, secret = _new_key(), _new_key(), f"secret-{uuid.uuid4().hex}"
    with open_warehouse(other, url=app_user) as wh:
        _load(wh, secret)
    with open_warehouse(mine, url=app_user) as wh:
        _load(wh, "Mug")
        with wh.readonly() as run:  # current_user is not on the console's list of functions
            who = run("SELECT current_user AS u, count(*) AS n FROM orders", timeout=5)
            assert who.fetchall() == [(console_role_name(postgres_schema_name(mine)), 3)]
        other_schema = postgres_schema_name(other)
        for sql in (
            f"SELECT set_config('role', '{sa.engine.make_url(app_user).username}', true) AS r, "
            f"query_to_xml('select title from {other_schema}.order_lines', true, true, '') AS x",
            f"SELECT * FROM {other_schema}.order_lines",
        ):
            with pytest.raises(WarehouseError) as excinfo, wh.readonly() as run:
                run(sql).fetchall()
            assert secret not in str(excinfo.value)
    assert warnings_logged == []
