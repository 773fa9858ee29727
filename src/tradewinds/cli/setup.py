"""`tradewinds init`, `serve` and `demo`."""

from __future__ import annotations

import typer

from tradewinds.cli.language import gettext as _
from tradewinds.cli.output import JsonOption, emit_json, fail
from tradewinds.config import get_settings
from tradewinds.i18n_markers import Text


def init(as_json: bool = JsonOption) -> None:
    """Create the data directory and secret key, and migrate the app database."""
    from tradewinds.db.migrate import upgrade

    settings = get_settings()
    settings.secret_key  # noqa: B018 - created with 0600 permissions on first use
    try:
        upgrade()
    except Exception as exc:  # noqa: BLE001 - report any database failure plainly
        fail(
            Text(
                "could not migrate the database at %(url)s: %(reason)s",
                url=_redacted(settings.db_url),
                reason=str(exc),
            ),
            as_json=as_json,
        )
    result = {
        "home": str(settings.home_dir),
        "database": _redacted(settings.db_url),
        "status": "ready",
    }
    if as_json:
        emit_json(result)
    else:
        typer.echo(
            _(
                "Tradewinds is ready in %(home)s (database %(database)s).",
                home=result["home"],
                database=result["database"],
            )
        )


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def serve(
    host: str = typer.Option("127.0.0.1", help=_("address to listen on")),
    port: int = typer.Option(8000, help=_("port to listen on")),
) -> None:
    """Serve the web app and API."""
    import uvicorn

    url = f"http://{host}:{port}"
    typer.echo(_("Serving Tradewinds on %(url)s  (API docs: /api/v1/docs)", url=url))
    uvicorn.run(
        "tradewinds.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=False,
    )


def demo(
    with_data: bool = typer.Option(
        True, "--with-data/--login-only", help=_("also load the demo data (orders, ad spend, …)")
    ),
    host: str = typer.Option("127.0.0.1", help=_("address `serve` will listen on (for the URL)")),
    port: int = typer.Option(8000, help=_("port `serve` will listen on (for the URL)")),
    as_json: bool = JsonOption,
) -> None:
    """Load (or refresh) the demo workspace and print its login."""
    from tradewinds.db.migrate import upgrade
    from tradewinds.demo import load_demo

    upgrade()
    result = load_demo(with_data=with_data)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    url = f"http://{shown}:{port}" if ":" not in shown else f"http://[{shown}]:{port}"
    result["url"] = url
    if as_json:
        emit_json(result)
        return
    for line in result["steps"]:
        typer.echo(f"  {line}")
    typer.echo("")
    typer.echo(_("Demo login — open %(url)s and sign in with:", url=url))
    typer.echo(_("  email:    %(email)s", email=result["email"]))
    typer.echo(_("  password: %(password)s", password=result["password"]))


def register(app: typer.Typer) -> None:
    app.command(
        "init", help=_("Create the data directory and secret key, and migrate the app database.")
    )(init)
    app.command("serve", help=_("Serve the web app and API."))(serve)
    app.command("demo", help=_("Load (or refresh) the demo workspace and print its login."))(demo)
