"""Bulk generation: a whole catalogue × markets as a background job on the task queue.

:func:`create_job` stores what was asked and one item per product × market × field
(``db/models/content_jobs.py``); :func:`start` asks for the task ``content.bulk``
(``content/plugin.py``) on the queue, which runs :func:`run_job` in a worker.

The job is **resumable**: :func:`run_job` takes the items still ``pending``, one
product × market at a time (the engine writes every asked field of a product for a market
in one call), and commits their variants in one transaction before moving on. A worker
killed in the middle leaves everything it finished; the queue puts the task back
(``jobs/queue.py``: a task whose worker died is queued again) and the next run begins where
the last one stopped. An item already ``done`` is never generated again and the unique key
(job, product, market, field) keeps two runs from storing one twice. Progress is
``done / total`` items. Results download in the export layouts (``content/export.py``).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tradewinds.content.models import (
    Dropped,
    GenerationRequest,
    GenerationResult,
    Product,
    Variant,
)
from tradewinds.db.base import utcnow
from tradewinds.db.models.content_jobs import ContentJob, ContentJobItem
from tradewinds.errors import InvalidInput, NotFound
from tradewinds.i18n_markers import Text

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

log = logging.getLogger("tradewinds.content")

TASK = "content.bulk"
#: products × markets × fields one job may hold
MAX_ITEMS = 200_000
Generate = Callable[[GenerationRequest], GenerationResult]


class JobProgress(BaseModel):
    """A bulk job as the page, the API and the CLI show it."""

    id: int
    status: str
    platform: str
    markets: list[str]
    fields: list[str]
    products: int
    total: int
    done: int
    variants: int
    dropped: int
    runs: int
    message: str | None = None
    created_by: str
    created_at: datetime
    finished_at: datetime | None = None

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")


class ProductsFileError(InvalidInput):
    """A products.jsonl that cannot be read: the file, the line, the field and why."""


def _why(exc: ValidationError) -> tuple[str, str]:
    first = exc.errors()[0]
    return ".".join(str(p) for p in first["loc"]) or "line", first["msg"]


def parse_products(raw: bytes, *, name: str = "products.jsonl") -> list[Product]:
    """The products of a ``products.jsonl`` upload (one JSON object a line: ``id``,
    ``title``, ``price``, ``currency`` and optional ``attributes``, ``category``, ``brand``);
    blank lines are skipped. The first bad line stops it, named with its field and why."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProductsFileError(
            Text("%(file)s is not UTF-8 text (byte %(at)s)", file=name, at=exc.start)
        ) from None
    products: list[Product] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise ProductsFileError(
                Text(
                    "%(file)s line %(line)s: not a JSON object (%(why)s)",
                    file=name,
                    line=number,
                    why=str(exc),
                )
            ) from None
        if not isinstance(data, dict):
            raise ProductsFileError(
                Text("%(file)s line %(line)s: not a JSON object", file=name, line=number)
            )
        try:
            product = Product.model_validate(data)
        except ValidationError as exc:
            field, why = _why(exc)
            raise ProductsFileError(
                Text(
                    "%(file)s line %(line)s, field %(field)s: %(why)s",
                    file=name,
                    line=number,
                    field=field,
                    why=why,
                )
            ) from None
        if product.id in seen:
            raise ProductsFileError(
                Text(
                    "%(file)s line %(line)s: the id %(id)s is already on line %(first)s",
                    file=name,
                    line=number,
                    id=product.id,
                    first=seen[product.id],
                )
            )
        seen[product.id] = number
        products.append(product)
    if not products:
        raise ProductsFileError(Text("%(file)s holds no products", file=name))
    return products


def _progress(job: ContentJob) -> JobProgress:
    return JobProgress(
        id=job.id,
        status=job.status,
        platform=job.platform,
        markets=list(job.markets),
        fields=list(job.fields),
        products=len(job.products),
        total=job.total,
        done=job.done,
        variants=job.variants,
        dropped=job.dropped,
        runs=job.runs,
        message=job.message,
        created_by=job.created_by,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


def create_job(
    session: Session, *, workspace_id: int, actor: str, request: GenerationRequest
) -> ContentJob:
    """Store a job for ``request`` (every product × market × field ``pending``)."""
    ids = [p.id for p in request.products]
    repeated = sorted({i for i in ids if ids.count(i) > 1}) if len(set(ids)) < len(ids) else []
    if repeated:
        raise InvalidInput(
            Text(
                "product ids must be unique in a bulk job; repeated: %(ids)s",
                ids=", ".join(repeated[:5]),
            )
        )
    markets = list(dict.fromkeys(m.upper() for m in request.markets))
    fields = list(dict.fromkeys(request.fields))
    total = len(ids) * len(markets) * len(fields)
    if total > MAX_ITEMS:
        raise InvalidInput(
            Text(
                "a bulk job may hold at most %(most)s products × markets × fields; "
                "this one has %(total)s",
                most=MAX_ITEMS,
                total=total,
            )
        )
    job = ContentJob(
        workspace_id=workspace_id,
        status="queued",
        platform=request.platform,
        markets=markets,
        fields=fields,
        products=[p.model_dump(mode="json") for p in request.products],
        options=request.model_dump(
            mode="json", include={"n", "tone", "glossary", "backend", "languages"}
        ),
        total=total,
        created_by=actor,
    )
    session.add(job)
    session.flush()
    session.add_all(
        ContentJobItem(job_id=job.id, position=position, product_id=pid, market=market, field=field)
        for position, pid in enumerate(ids)
        for market in markets
        for field in fields
    )
    session.flush()
    return job


def start(*, job_id: int, workspace_key: str) -> str | None:
    """Ask the queue for the job (at once on this thread when no queue is plugged in)."""
    from tradewinds.tasks import enqueue

    return enqueue(TASK, job_id=job_id, workspace_key=workspace_key)


def get_job(session: Session, *, job_id: int, workspace_id: int) -> ContentJob:
    job = session.get(ContentJob, job_id)
    if job is None or job.workspace_id != workspace_id:
        raise NotFound(Text("no content job with id %(id)s", id=job_id))
    return job


def progress(session: Session, *, job_id: int, workspace_id: int) -> JobProgress:
    return _progress(get_job(session, job_id=job_id, workspace_id=workspace_id))


def recent_jobs(session: Session, *, workspace_id: int, limit: int = 10) -> list[JobProgress]:
    jobs = session.scalars(
        select(ContentJob)
        .where(ContentJob.workspace_id == workspace_id)
        .order_by(ContentJob.id.desc())
        .limit(limit)
    )
    return [_progress(j) for j in jobs]


def _request_for(job: ContentJob, product: Product, market: str, fields: list[str]) -> Any:
    options = dict(job.options)
    return GenerationRequest(
        products=[product],
        markets=[market],
        platform=job.platform,
        fields=fields,
        **options,
    )


def _default_generate() -> Generate:
    from tradewinds.content.engine import generate

    return generate


def _recount(session: Session, job: ContentJob) -> None:
    job.done = session.scalar(
        select(func.count())
        .select_from(ContentJobItem)
        .where(ContentJobItem.job_id == job.id, ContentJobItem.status != "pending")
    )


def _pending(session: Session, job_id: int) -> dict[tuple[int, str], list[ContentJobItem]]:
    """The pending items by (product position, market), in the job's order."""
    rows = session.scalars(
        select(ContentJobItem)
        .where(ContentJobItem.job_id == job_id, ContentJobItem.status == "pending")
        .order_by(ContentJobItem.position, ContentJobItem.market, ContentJobItem.id)
    )
    groups: dict[tuple[int, str], list[ContentJobItem]] = defaultdict(list)
    for item in rows:
        groups[(item.position, item.market)].append(item)
    return groups


def _begin(session_factory: Callable[[], Any], job_id: int) -> bool:
    with session_factory() as session:
        job = session.get(ContentJob, job_id)
        if job is None or job.status in ("done",):
            return False
        job.status = "running"
        job.runs += 1
        job.started_at = job.started_at or utcnow()
        job.message = None
    return True


def _fill(
    session: Session,
    job: ContentJob,
    items: list[ContentJobItem],
    product: Product,
    generate: Generate,
) -> None:
    """Generate one product × market's pending fields and store them (one transaction)."""
    market = items[0].market
    fields = [i.field for i in items]
    now = utcnow()
    try:
        result = generate(_request_for(job, product, market, fields))
    except Exception as exc:  # one product stops no other: the item says why
        log.exception("content job %s: %s in %s failed", job.id, product.id, market)
        for item in items:
            item.status, item.message, item.finished_at = "failed", str(exc)[:2000], now
        return
    variants: dict[str, list[Variant]] = defaultdict(list)
    dropped: dict[str, list[Dropped]] = defaultdict(list)
    for v in result.variants:
        variants[v.field].append(v)
    for d in result.dropped:
        dropped[d.field].append(d)
    for item in items:
        item.variants = [v.model_dump(mode="json") for v in variants[item.field]]
        item.dropped = [d.model_dump(mode="json") for d in dropped[item.field]]
        item.status, item.message, item.finished_at = "done", None, now
        job.variants += len(item.variants)
        job.dropped += len(item.dropped)


def run_job(*, job_id: int, generate: Generate | None = None) -> JobProgress | None:
    """Do the job's pending items (the task's body; safe to run again at any point)."""
    from tradewinds.db.engine import session_scope

    if not _begin(session_scope, job_id):
        return None
    generate = generate or _default_generate()
    with session_scope() as session:
        job = session.get(ContentJob, job_id)
        products = [Product.model_validate(p) for p in job.products]
        groups = _pending(session, job_id)
    for (position, _market), items in groups.items():
        with session_scope() as session:
            job = session.get(ContentJob, job_id)
            fresh = list(
                session.scalars(
                    select(ContentJobItem).where(
                        ContentJobItem.id.in_([i.id for i in items]),
                        ContentJobItem.status == "pending",
                    )
                )
            )
            if not fresh:  # another run did these meanwhile
                continue
            _fill(session, job, fresh, products[position], generate)
            session.flush()
            _recount(session, job)
    with session_scope() as session:
        job = session.get(ContentJob, job_id)
        _recount(session, job)
        failed = session.scalar(
            select(func.count())
            .select_from(ContentJobItem)
            .where(ContentJobItem.job_id == job_id, ContentJobItem.status == "failed")
        )
        job.status = "done" if job.done >= job.total else "running"
        if failed:
            job.message = str(
                Text("%(failed)s of %(total)s items failed", failed=failed, total=job.total)
            )
        job.finished_at = utcnow() if job.status == "done" else None
        return _progress(job)


def retry_failed(session: Session, *, job_id: int, workspace_id: int) -> int:
    """Put the failed items back to ``pending`` (start the job again after); how many."""
    job = get_job(session, job_id=job_id, workspace_id=workspace_id)
    changed = session.execute(
        update(ContentJobItem)
        .where(ContentJobItem.job_id == job.id, ContentJobItem.status == "failed")
        .values(status="pending", message=None, finished_at=None)
    ).rowcount
    if changed:
        job.status = "queued"
        _recount(session, job)
    return int(changed or 0)


def results(
    session: Session, *, job_id: int, workspace_id: int, market: str | None = None
) -> tuple[GenerationResult, list[Product]]:
    """Everything the job wrote so far (in the catalogue's order) and its products."""
    job = get_job(session, job_id=job_id, workspace_id=workspace_id)
    query = select(ContentJobItem).where(
        ContentJobItem.job_id == job.id, ContentJobItem.status == "done"
    )
    if market:
        query = query.where(ContentJobItem.market == market.upper())
    query = query.order_by(ContentJobItem.position, ContentJobItem.market, ContentJobItem.id)
    result = GenerationResult()
    for item in session.scalars(query):
        result.variants.extend(Variant.model_validate(v) for v in item.variants)
        result.dropped.extend(Dropped.model_validate(d) for d in item.dropped)
    return result, [Product.model_validate(p) for p in job.products]


CATALOGUE_SQL = """
SELECT product_id, title, price, currency, category, vendor
FROM products
WHERE title IS NOT NULL AND trim(title) <> ''
ORDER BY product_id
LIMIT $limit
"""


def catalogue(warehouse: Warehouse, *, limit: int = 5_000) -> list[Product]:
    """The workspace's products as the warehouse holds them (``products`` table), for the
    studio's picker and a whole-catalogue job; rows that are not a valid product (a
    currency that is not an ISO code, say) are left out."""
    found = []
    for pid, title, price, currency, category, vendor in warehouse.query(
        CATALOGUE_SQL, {"limit": limit}
    ).rows:
        try:
            found.append(
                Product(
                    id=str(pid),
                    title=str(title).strip()[:1000],
                    price=price if price is not None and price >= 0 else None,
                    currency=(currency or None) and str(currency).upper(),
                    category=category or None,
                    brand=vendor or None,
                )
            )
        except ValueError:
            continue
    return found
