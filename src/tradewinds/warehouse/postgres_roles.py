"""The PostgreSQL role each workspace's SQL console runs as.

Every workspace schema ``ws_<key>`` gets a role ``tw_ro_ws_<key>``: it cannot log in, is no
superuser, creates nothing, inherits nothing, and may only use its own schema and read its
tables and views. The console runs a query as that role inside a ``SECURITY DEFINER``
function the role owns, ``<schema>.tw_console_rows(query, max_rows)``: within such a
function PostgreSQL refuses to change ``role`` or ``session_authorization`` (so neither
``SET ROLE`` nor ``set_config('role', …)`` can climb back to the warehouse's own user), and
``RETURN QUERY EXECUTE`` runs exactly one query.

Setting it up needs a database user that is a superuser or has ``CREATEROLE``; without that
the console keeps reading as the warehouse's user in a read-only transaction, and says so
once in the log.
"""

from __future__ import annotations

import hashlib
import logging
import threading

import psycopg

from tradewinds.warehouse.ddl import quote_ident

log = logging.getLogger("tradewinds.warehouse")

ROLE_PREFIX = "tw_ro_"
FUNCTION = "tw_console_rows"
_PG_MAX_IDENTIFIER = 63

# The query is wrapped in a subquery so only a query expression (SELECT, VALUES, TABLE,
# WITH … SELECT) can run, with a row limit applied inside the engine.
FUNCTION_BODY = """
BEGIN
  RETURN QUERY EXECUTE format(E'SELECT * FROM (\\n%s\\n) AS q LIMIT %s',
                              query, coalesce(max_rows::text, 'ALL'));
END
"""

_warned: set[str] = set()
_warned_lock = threading.Lock()


def console_role_name(schema: str) -> str:
    """``tw_ro_<schema>``; names too long for PostgreSQL keep a prefix and a hash."""
    name = f"{ROLE_PREFIX}{schema}"
    if len(name) <= _PG_MAX_IDENTIFIER:
        return name
    digest = hashlib.sha1(schema.encode()).hexdigest()[:8]
    return f"{name[: _PG_MAX_IDENTIFIER - 9]}_{digest}"


def function_signature(schema: str) -> str:
    return f"{quote_ident(schema)}.{FUNCTION}(text, bigint)"


def _create_function_sql(schema: str) -> str:
    return (
        f"CREATE FUNCTION {quote_ident(schema)}.{FUNCTION}(query text, max_rows bigint) "
        "RETURNS SETOF record LANGUAGE plpgsql VOLATILE SECURITY DEFINER "
        f"SET search_path = {quote_ident(schema)}, pg_temp "
        f"AS $tw_console${FUNCTION_BODY}$tw_console$"
    )


def warn_once(con: psycopg.Connection, message: str) -> None:
    """Log ``message`` once per database user and database in this process."""
    key = f"{con.info.user}@{con.info.host}:{con.info.port}/{con.info.dbname}"
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    log.warning("%s", message)


def fallback_message(con: psycopg.Connection, reason: str) -> str:
    user = con.info.user
    return (
        f"SQL console on PostgreSQL: {reason}; console queries therefore run as the "
        f"warehouse user {user!r} in a read-only transaction, which can read every "
        f"workspace's schema. Give {user!r} the CREATEROLE right (ALTER ROLE {user} "
        "CREATEROLE) so each workspace's console reads only its own schema "
        "(see docs/security.md, 'The SQL console on PostgreSQL')."
    )


def _can_create_roles(con: psycopg.Connection) -> tuple[bool, bool]:
    row = con.execute(
        "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    superuser, createrole = (bool(row[0]), bool(row[1])) if row else (False, False)
    return superuser, superuser or createrole


def ensure_console_role(con: psycopg.Connection, schema: str) -> str | None:
    """Create or repair the schema's console role and function (idempotent).

    Runs inside the caller's transaction, in a savepoint of its own. Returns None when the
    role is ready, otherwise the reason it could not be set up (nothing is left behind).
    """
    superuser, allowed = _can_create_roles(con)
    if not allowed:
        return f"the database user {con.info.user!r} cannot create roles (no CREATEROLE)"
    role = quote_ident(console_role_name(schema))
    ns = quote_ident(schema)
    con.execute("SAVEPOINT tw_console_role")
    try:
        # one set-up at a time in the whole database, not per schema: every set-up changes
        # shared catalogs (roles, the ACL of schema public), and two at once fail with
        # "tuple concurrently updated" — which would leave that console on the fallback
        con.execute("SELECT pg_advisory_xact_lock(hashtext($1))", ["tw_console_roles"])
        exists = con.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = $1", [console_role_name(schema)]
        ).fetchone()
        if not exists:
            con.execute(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        attributes = "NOLOGIN NOCREATEDB NOCREATEROLE NOINHERIT"
        if superuser:
            attributes += " NOSUPERUSER NOREPLICATION NOBYPASSRLS"
        else:
            # a CREATEROLE user may SET ROLE only to roles it is a member of
            con.execute(f"GRANT {role} TO CURRENT_USER")
        con.execute(f"ALTER ROLE {role} {attributes}")
        if con.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'public'").fetchone():
            con.execute(f"REVOKE ALL ON SCHEMA public FROM {role}")
        con.execute(f"GRANT USAGE ON SCHEMA {ns} TO {role}")
        con.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {ns} TO {role}")
        con.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {ns} GRANT SELECT ON TABLES TO {role}")
        if not _function_ok(con, schema):
            _create_function(con, schema, role)
        con.execute("RELEASE SAVEPOINT tw_console_role")
    except psycopg.Error as exc:
        con.execute("ROLLBACK TO SAVEPOINT tw_console_role")
        con.execute("RELEASE SAVEPOINT tw_console_role")
        return f"the console role {console_role_name(schema)!r} could not be set up: {exc}"
    return None


def _create_function(con: psycopg.Connection, schema: str, role: str) -> None:
    """Create the function as the role itself, so it runs with the role's rights only.

    The role needs CREATE on its schema for that moment alone."""
    ns = quote_ident(schema)
    con.execute(f"GRANT CREATE ON SCHEMA {ns} TO {role}")
    con.execute(f"SET LOCAL ROLE {role}")
    con.execute(f"DROP FUNCTION IF EXISTS {function_signature(schema)}")
    con.execute(_create_function_sql(schema))
    con.execute(f"REVOKE ALL ON FUNCTION {function_signature(schema)} FROM PUBLIC")
    con.execute("RESET ROLE")
    con.execute(f"REVOKE CREATE ON SCHEMA {ns} FROM {role}")


def _function_ok(con: psycopg.Connection, schema: str) -> bool:
    row = con.execute(
        "SELECT p.prosecdef AND p.proowner = r.oid AND p.prosrc = $3 "
        "FROM pg_proc p JOIN pg_roles r ON r.rolname = $2 "
        "WHERE p.oid = to_regprocedure($1)",
        [function_signature(schema), console_role_name(schema), FUNCTION_BODY],
    ).fetchone()
    return bool(row and row[0])


def console_role_ready(con: psycopg.Connection, schema: str) -> str | None:
    """None when queries can run as the schema's console role, else the reason they cannot."""
    row = con.execute(
        "SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolcanlogin "
        "OR r.rolreplication OR r.rolbypassrls, pg_has_role(current_user, r.oid, 'MEMBER') "
        "FROM pg_roles r WHERE r.rolname = $1",
        [console_role_name(schema)],
    ).fetchone()
    name = console_role_name(schema)
    if row is None:
        return f"the console role {name!r} does not exist"
    unsafe, member = row
    if unsafe:
        return f"the console role {name!r} has rights it must not have (login, superuser …)"
    if not member:
        return f"the database user {con.info.user!r} cannot switch to the console role {name!r}"
    if not _function_ok(con, schema):
        return f"the console function {function_signature(schema)} is missing or was changed"
    return None


def drop_console_role(con: psycopg.Connection, schema: str) -> None:
    """Drop the schema's console role (after the schema itself is gone)."""
    con.execute(f"DROP ROLE IF EXISTS {quote_ident(console_role_name(schema))}")
