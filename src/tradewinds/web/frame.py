"""The page frame: templates, static files (Plotly from its installed wheel), navigation."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from tradewinds import __version__

HERE = Path(__file__).resolve().parent


class NavItem(BaseModel):
    key: str
    label: str
    path: str
    coming: str | None = None


@lru_cache
def navigation() -> list[NavItem]:
    raw = yaml.safe_load((HERE / "navigation.yaml").read_text())
    return [NavItem.model_validate(item) for item in raw]


templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(navigation=navigation, version=__version__)


def add_template_dir(path: Path) -> None:
    """Let a capability keep its templates beside its own code if it prefers."""
    loader = templates.env.loader
    searchpath = getattr(loader, "searchpath", None)
    if searchpath is not None and str(path) not in searchpath:
        searchpath.append(str(path))


def plotly_js_path() -> Path:
    return Path(str(files("plotly") / "package_data" / "plotly.min.js"))


def install(app: FastAPI) -> None:
    install_redirects(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(
            plotly_js_path(),
            media_type="application/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )


def render(
    request: Any, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Any:
    return templates.TemplateResponse(request, template, context or {}, status_code=status_code)


def install_redirects(app: FastAPI) -> None:
    from fastapi.responses import RedirectResponse

    from tradewinds.web.deps import Redirect

    @app.exception_handler(Redirect)
    async def _redirect(_request: Any, exc: Redirect) -> RedirectResponse:
        return RedirectResponse(exc.location, status_code=303)
