"""The content studio page: write copy for a product in several markets, see the variants
side by side against each field's limit, approve them (a fingerprint in the audit log),
run a whole catalogue as a background job and download the upload files."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel import Locale
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from tradewinds.api.deps import SessionDep
from tradewinds.content import bulk, export, fingerprint
from tradewinds.content.access import STUDIO
from tradewinds.content.models import GenerationRequest, GenerationResult, Product, Variant
from tradewinds.errors import TradewindsError
from tradewinds.web import i18n
from tradewinds.web.deps import FormDep, WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.i18n import N_
from tradewinds.web.i18n import gettext as _
from tradewinds.web.texts import translate

router = APIRouter(prefix="/content", include_in_schema=False)
Writer = reading(STUDIO)

#: the markets the studio offers (market → its language is the engine's choice)
MARKETS = [
    "US", "UK", "DE", "FR", "ES", "IT", "NL", "PL", "BR", "JP", "KR", "CN", "TW", "HK",
    "SA", "AE", "ID", "MY", "TH", "VN",
]  # fmt: skip
PLATFORMS = [("google", "Google Ads"), ("meta", "Meta"), ("tiktok", "TikTok"), ("amazon", "Amazon")]
FIELD_LABELS = {
    "headline": N_("Headline"),
    "long_headline": N_("Long headline"),
    "description": N_("Description"),
    "path": N_("Display path"),
    "primary_text": N_("Primary text"),
    "ad_text": N_("Ad text"),
    "title": N_("Product title"),
    "bullet_point": N_("Bullet point"),
}
TONES = [
    ("neutral", N_("Neutral")),
    ("friendly", N_("Friendly")),
    ("premium", N_("Premium")),
    ("urgent", N_("Urgent")),
    ("playful", N_("Playful")),
]
UNITS = {
    "chars": N_("characters"),
    "graphemes": N_("characters"),
    "bytes": N_("bytes"),
    "width": N_("width (wide characters count 2)"),
}
VERDICTS = {"pass": N_("Passes the checks"), "warn": N_("Check before publishing")}
MAX_UPLOAD = 20 * 1024 * 1024
CALENDAR_DAYS = 45


def repair_label(repair: str) -> str:
    """A repair the engine made, in the page's language: the engine writes a marked
    sentence, optionally followed by ": " and the words it concerns (data, as written)."""
    head, sep, tail = repair.partition(": ")
    return translate(head) + sep + tail


def platform_fields() -> dict[str, list[str]]:
    """Each platform's fields the engine writes, in the order the page lists them."""
    from tradewinds.content.fit import PLATFORM_FIELDS

    order = list(FIELD_LABELS)
    return {
        p: sorted(PLATFORM_FIELDS.get(p, {}), key=lambda f: order.index(f) if f in order else 99)
        for p, _label in PLATFORMS
    }


def _market_names() -> dict[str, str]:
    try:
        territories = Locale.parse(i18n.current().number_locale).territories
    except (ValueError, TypeError):
        territories = {}
    return {m: territories.get("GB" if m == "UK" else m, m) for m in MARKETS}


def _catalogue(ctx: WebContext) -> list[Product]:
    from tradewinds.warehouse import open_warehouse

    try:
        with open_warehouse(ctx.workspace.key) as warehouse:
            return bulk.catalogue(warehouse, limit=500)
    except Exception:  # no warehouse yet, or it is busy: the typed product still works
        return []


def _defaults() -> dict[str, Any]:
    return {
        "source": "typed",
        "catalogue_id": "",
        "id": "",
        "title": "",
        "price": "",
        "currency": "",
        "brand": "",
        "category": "",
        "attributes": "",
        "keep": "",
        "markets": ["DE", "US"],
        "platform": "google",
        "fields": ["headline", "description"],
        "tone": "neutral",
        "n": 3,
    }


def _page(request: Request, ctx: WebContext, status_code: int = 200, **kw: Any) -> Response:
    ctx.nav = "content"
    kw.setdefault("values", _defaults())
    kw.setdefault("errors", {})
    kw.setdefault("result", None)
    kw.setdefault("approved", set())
    kw.setdefault("notice", None)
    kw.setdefault("bulk_errors", {})
    kw.setdefault("bulk_values", {"source": "catalogue"})
    from tradewinds.db.engine import session_scope

    with session_scope() as session:
        jobs = bulk.recent_jobs(session, workspace_id=ctx.workspace.id, limit=8)
    catalogue = _catalogue(ctx)
    return render(
        request,
        "content/studio.html",
        ctx.page(
            markets=MARKETS,
            market_names=_market_names(),
            platforms=PLATFORMS,
            platform_names=dict(PLATFORMS),
            platform_fields=platform_fields(),
            field_labels=FIELD_LABELS,
            tones=TONES,
            units=UNITS,
            verdicts=VERDICTS,
            repair_label=repair_label,
            catalogue=catalogue,
            jobs=jobs,
            formats=export.FORMATS,
            **kw,
        ),
        status_code=status_code,
    )


# --- reading the form -----------------------------------------------------------------


def _attributes(text: str, errors: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or not value.strip():
            errors["attributes"] = _(
                "Line %(line)s: write each attribute as name: value (for example colour: red).",
                line=number,
            )
            return {}
        found[key.strip()] = value.strip()
    return found


def _options(form: FormData, values: dict[str, Any], errors: dict[str, str]) -> None:
    """Markets, platform, fields, tone and n from the form into ``values``."""
    values["markets"] = [m for m in form.getlist("markets") if m in MARKETS]
    if not values["markets"]:
        errors["markets"] = _("Choose at least one market.")
    platform = str(form.get("platform", "google"))
    fields_of = platform_fields()
    if platform not in fields_of:
        errors["platform"] = _("Choose a platform from the list.")
        platform = "google"
    values["platform"] = platform
    chosen = [str(f) for f in form.getlist("fields")]
    values["fields"] = [f for f in chosen if f in fields_of[platform]]
    if not values["fields"]:
        names = ", ".join(translate(FIELD_LABELS.get(f, f)) for f in fields_of[platform])
        errors["fields"] = _(
            "Choose at least one field that %(platform)s has: %(fields)s.",
            platform=dict(PLATFORMS)[platform],
            fields=names,
        )
    tone = str(form.get("tone", "neutral"))
    values["tone"] = tone if tone in dict(TONES) else "neutral"
    try:
        values["n"] = max(1, min(10, int(str(form.get("n", "3")))))
    except ValueError:
        errors["n"] = _("Write how many variants as a number from 1 to 10.")
        values["n"] = 3
    values["keep"] = str(form.get("keep", ""))[:2000]


def _glossary(values: dict[str, Any]) -> dict[str, Any]:
    keep = [t.strip() for t in values.get("keep", "").split(",") if t.strip()]
    return {"keep": keep}


def _typed_product(form: FormData, values: dict[str, Any], errors: dict[str, str]) -> Any:
    for key in ("id", "title", "price", "currency", "brand", "category", "attributes"):
        values[key] = str(form.get(key, "")).strip()[:2000]
    if not values["title"]:
        errors["title"] = _("Write the product's title.")
    price = None
    if values["price"]:
        try:
            price = float(values["price"].replace(",", "."))
            if price < 0:
                raise ValueError
        except ValueError:
            errors["price"] = _("Write the price as a number, for example 49.90.")
    currency = values["currency"].upper()
    if currency and (len(currency) != 3 or not currency.isalpha()):
        errors["currency"] = _("Write the currency as its three-letter code, for example EUR.")
    attributes = _attributes(values["attributes"], errors)
    if errors:
        return None
    return {
        "id": values["id"] or "typed-1",
        "title": values["title"],
        "price": values["price"].replace(",", ".") if price is not None else None,
        "currency": currency or None,
        "brand": values["brand"] or None,
        "category": values["category"] or None,
        "attributes": attributes,
    }


def _read_form(form: FormData, ctx: WebContext) -> tuple[dict, dict, GenerationRequest | None]:
    values, errors = _defaults(), {}
    values["source"] = "catalogue" if form.get("source") == "catalogue" else "typed"
    _options(form, values, errors)
    product: Any = None
    if values["source"] == "catalogue":
        values["catalogue_id"] = str(form.get("catalogue_id", ""))
        known = {p.id: p for p in _catalogue(ctx)}
        product = known.get(values["catalogue_id"])
        if product is None:
            errors["catalogue_id"] = _("Choose a product from the catalogue.")
        else:
            product = product.model_dump(mode="json")
    else:
        product = _typed_product(form, values, errors)
    if errors:
        return values, errors, None
    try:
        request = GenerationRequest(
            products=[product],
            markets=values["markets"],
            platform=values["platform"],
            fields=values["fields"],
            n=values["n"],
            tone=values["tone"],
            glossary=_glossary(values),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][2:]) or "product"
        errors[where if where in values else "title"] = translate(first["msg"])
        return values, errors, None
    return values, errors, request


# --- generating -----------------------------------------------------------------------


def _generate(ctx: WebContext, request: GenerationRequest) -> GenerationResult:
    from tradewinds.compliance import user_packs
    from tradewinds.content.engine import generate
    from tradewinds.db.engine import session_scope

    with session_scope() as session:
        extra = user_packs.enabled_user_packs(session=session, workspace_id=ctx.workspace.id)
    return generate(request, extra_packs=extra)


def _calendar(markets: list[str]) -> dict[str, list[Any]]:
    """The next holidays, shopping festivals and seasons of each market (the Markets
    calendar, ``markets/calendar``; the ``holidays`` package alone for a market it lacks)."""
    from tradewinds.content.markets import upcoming_holidays
    from tradewinds.markets.calendar import UnknownMarket, upcoming
    from tradewinds.web import i18n

    today = date.today()
    hints: dict[str, list[Any]] = {}
    for market in markets:
        try:
            events = upcoming(market, today, CALENDAR_DAYS, language=i18n.current().code)
            hints[market] = [e for e in events if e.start > today][:4]
            continue
        except UnknownMarket:
            pass
        try:
            hints[market] = upcoming_holidays(market, today=today, days=CALENDAR_DAYS)[:4]
        except Exception:  # a market the holidays package does not know
            hints[market] = []
    return hints


def _grid(result: GenerationResult, request: GenerationRequest) -> list[dict[str, Any]]:
    """Rows of fields, each with one column per market: what the page lays side by side."""
    rows = []
    for field in request.fields:
        columns = []
        for market in request.markets:
            variants = [v for v in result.variants if v.field == field and v.market == market]
            dropped = [d for d in result.dropped if d.field == field and d.market == market]
            columns.append({"market": market, "variants": variants, "dropped": dropped})
        rows.append({"field": field, "columns": columns})
    return rows


def _show(
    request: Request,
    ctx: WebContext,
    values: dict,
    gen: GenerationRequest,
    *,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    from tradewinds.db.engine import session_scope

    try:
        result = _generate(ctx, gen)
    except (TradewindsError, ValueError) as exc:
        return _page(
            request,
            ctx,
            status_code=422,
            values=values,
            errors={"form": translate(getattr(exc, "message", str(exc)))},
        )
    with session_scope() as session:
        approved = fingerprint.approved_hashes(
            session, workspace_id=ctx.workspace.id, texts=[v.text for v in result.variants]
        )
    return _page(
        request,
        ctx,
        status_code=status_code,
        values=values,
        result=result,
        grid=_grid(result, gen),
        calendar=_calendar(gen.markets),
        request_json=gen.model_dump_json(),
        approved=approved,
        hash_of=fingerprint.fingerprint,
        notice=notice,
    )


@router.get("")
def studio(request: Request, ctx: Writer):
    return _page(request, ctx)


@router.post("")
def studio_generate(request: Request, ctx: Writer, form: FormDep):
    values, errors, gen = _read_form(form, ctx)
    if gen is None:
        return _page(request, ctx, status_code=422, values=values, errors=errors)
    return _show(request, ctx, values, gen)


def _values_of(gen: GenerationRequest) -> dict[str, Any]:
    product = gen.products[0]
    values = _defaults()
    values.update(
        id=product.id,
        title=product.title,
        price="" if product.price is None else str(product.price),
        currency=product.currency or "",
        brand=product.brand or "",
        category=product.category or "",
        attributes="\n".join(f"{k}: {v}" for k, v in product.attributes.items()),
        keep=", ".join(gen.glossary.keep),
        markets=list(gen.markets),
        platform=gen.platform,
        fields=list(gen.fields),
        tone=gen.tone,
        n=gen.n,
    )
    return values


@router.post("/approve")
def studio_approve(request: Request, session: SessionDep, ctx: Writer, form: FormDep):
    """Approve one variant: its fingerprint goes into the audit log; the page comes back
    with the same variants (the request travels with the form)."""
    try:
        gen = GenerationRequest.model_validate_json(str(form.get("request", "")))
        variant = Variant.model_validate_json(str(form.get("variant", "")))
    except ValidationError:
        return _page(
            request,
            ctx,
            status_code=422,
            errors={"form": _("The approval did not come from this page; generate again.")},
        )
    fingerprint.approve(
        session,
        workspace_id=ctx.workspace.id,
        actor=ctx.user.email,
        text=variant.text,
        variant=variant,
        ip=request.client.host if request.client else None,
    )
    session.commit()
    notice = _(
        "Approved. Its fingerprint is in the audit log: %(sha)s",
        sha=fingerprint.fingerprint(variant.text)[:16] + "…",
    )
    return _show(request, ctx, _values_of(gen), gen, notice=notice)


# --- bulk jobs ------------------------------------------------------------------------


def _uploaded_products(form: FormData, errors: dict[str, str]) -> list[Product]:
    item = form.get("products_file")
    if not isinstance(item, UploadFile) or not item.filename:
        errors["products_file"] = _("Choose a products.jsonl file to upload.")
        return []
    raw = item.file.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        errors["products_file"] = _("The file is larger than %(mb)s MB.", mb=MAX_UPLOAD // 2**20)
        return []
    try:
        return bulk.parse_products(raw, name=item.filename)
    except bulk.ProductsFileError as exc:
        errors["products_file"] = translate(exc.message)
        return []


@router.post("/jobs")
def job_create(request: Request, session: SessionDep, ctx: Writer, form: FormDep):
    values: dict[str, Any] = _defaults()
    errors: dict[str, str] = {}
    _options(form, values, errors)
    values["source"] = "upload" if form.get("source") == "upload" else "catalogue"
    products: list[Product] = []
    if values["source"] == "upload":
        products = _uploaded_products(form, errors)
    else:
        products = _catalogue(ctx)
        if not products:
            errors["source"] = _(
                "The catalogue is empty: import a product feed on the Data page, or upload "
                "a products.jsonl file."
            )
    if not errors:
        try:
            gen = GenerationRequest(
                products=products,
                markets=values["markets"],
                platform=values["platform"],
                fields=values["fields"],
                n=values["n"],
                tone=values["tone"],
                glossary=_glossary(values),
            )
            job = bulk.create_job(
                session, workspace_id=ctx.workspace.id, actor=ctx.user.email, request=gen
            )
        except TradewindsError as exc:
            errors["source"] = translate(exc.message)
        except ValidationError as exc:
            errors["source"] = translate(exc.errors()[0]["msg"])
    if errors:
        return _page(request, ctx, status_code=422, bulk_errors=errors, bulk_values=values)
    session.commit()
    bulk.start(job_id=job.id, workspace_key=ctx.workspace.key)
    return RedirectResponse(f"/content/jobs/{job.id}", status_code=303)


@router.get("/jobs/{content_job_id}")
def job_page(request: Request, session: SessionDep, ctx: Writer, content_job_id: int):
    job = bulk.progress(session, job_id=content_job_id, workspace_id=ctx.workspace.id)
    ctx.nav = "content"
    sample, _products = bulk.results(session, job_id=content_job_id, workspace_id=ctx.workspace.id)
    return render(
        request,
        "content/job.html",
        ctx.page(
            job=job,
            market_names=_market_names(),
            field_labels=FIELD_LABELS,
            formats=_formats_for(job.platform),
            sample=sample.variants[:12],
            dropped=sample.dropped[:12],
        ),
    )


def _formats_for(platform: str) -> list[str]:
    fmt = export.format_for(platform)
    return [fmt] if fmt else []


@router.get("/jobs/{content_job_id}/progress")
def job_progress(session: SessionDep, ctx: Writer, content_job_id: int):
    job = bulk.progress(session, job_id=content_job_id, workspace_id=ctx.workspace.id)
    return JSONResponse(
        {
            "id": job.id,
            "status": job.status,
            "done": job.done,
            "items": job.total,
            "fraction": job.fraction,
            "active": job.active,
        }
    )


@router.post("/jobs/{content_job_id}/resume")
def job_resume(session: SessionDep, ctx: Writer, form: FormDep, content_job_id: int):
    bulk.retry_failed(session, job_id=content_job_id, workspace_id=ctx.workspace.id)
    session.commit()
    bulk.start(job_id=content_job_id, workspace_key=ctx.workspace.key)
    return RedirectResponse(f"/content/jobs/{content_job_id}", status_code=303)


@router.get("/jobs/{content_job_id}/export/{layout}")
def job_export(
    session: SessionDep, ctx: Writer, content_job_id: int, layout: str, market: str = ""
):
    result, products = bulk.results(
        session, job_id=content_job_id, workspace_id=ctx.workspace.id, market=market or None
    )
    try:
        file = export.export(
            result.variants, layout, products=products, stem=f"content-job-{content_job_id}"
        )
    except export.ExportError as exc:
        return JSONResponse({"error": {"message": str(exc)}}, status_code=422)
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
    )


@router.post("/export/{layout}")
def studio_export(ctx: Writer, form: FormDep, layout: str):
    """The variants on the page as an upload file (the request travels with the form)."""
    try:
        gen = GenerationRequest.model_validate_json(str(form.get("request", "")))
    except ValidationError:
        return JSONResponse({"error": {"message": "generate the variants first"}}, status_code=422)
    result = _generate(ctx, gen)
    try:
        file = export.export(result.variants, layout, products=gen.products)
    except export.ExportError as exc:
        return JSONResponse({"error": {"message": str(exc)}}, status_code=422)
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
    )
