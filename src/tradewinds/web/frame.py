"""The page frame: templates, static files (Plotly from its installed wheel), navigation.

Data reaches a page's scripts only as JSON in a ``<script type="application/json">`` block
written with Jinja's ``|tojson`` (which escapes ``<``, ``>``, ``&`` and ``'``, so no text
can close the block), read by the page's script in ``/static`` with ``JSON.parse``.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
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
from tradewinds.web import i18n, numbers, texts
from tradewinds.web.security_headers import nonce_of
from tradewinds.web.table_columns import column_label

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


def plotly_js_path() -> Path:
    return Path(str(files("plotly") / "package_data" / "plotly.min.js"))


# plotly.min.js adds a <style> of its own (the map library's rules) unless an element with
# its id is already on the page; the Content-Security-Policy refuses a <style> without the
# page's nonce, so base.html writes empty nonce'd ones with these ids first.
_PLOTLY_STYLE = re.compile(
    r'getElementById\("([0-9a-f]{16,})"\)\)\{var \w+=document\.createElement\("style"\)'
)


@lru_cache(maxsize=1)
def plotly_style_ids() -> tuple[str, ...]:
    return tuple(dict.fromkeys(_PLOTLY_STYLE.findall(plotly_js_path().read_text())))


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities as ``None`` (JSON has no NaN; ``JSON.parse`` fails)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def page_json(value: Any, **kwargs: Any) -> str:
    """The ``dumps`` behind ``|tojson``: dates, decimals and numpy scalars as text, NaN as null."""
    kwargs.pop("sort_keys", None)
    return json.dumps(_finite(value), default=str, allow_nan=False, **kwargs)


def _csp_nonce(request: Any) -> dict[str, str]:
    return {"csp_nonce": nonce_of(request)}


templates = Jinja2Templates(directory=str(HERE / "templates"), context_processors=[_csp_nonce])
templates.env.globals.update(
    navigation=navigation, version=__version__, plotly_style_ids=plotly_style_ids
)
templates.env.policies["json.dumps_function"] = page_json
templates.env.policies["json.dumps_kwargs"] = {}
i18n.install(templates.env)
templates.env.filters.update(
    day=numbers.day,
    month=numbers.month,
    column_label=column_label,
    tr=texts.translate,
    country=texts.country,
    money=lambda value, currency: numbers.money(Decimal(str(value)), currency),
    rate=numbers.rate,
)


def add_template_dir(path: Path) -> None:
    """Let a capability keep its templates beside its own code if it prefers."""
    loader = templates.env.loader
    searchpath = getattr(loader, "searchpath", None)
    if searchpath is not None and str(path) not in searchpath:
        searchpath.append(str(path))


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
