"""Who may read which report, and what a role without finance figures sees of it.

Each report declares its access next to itself (``<package>/access.py``, e.g.
``attribution/access.py``) with :func:`report`: the permission needed to read it and the
fields of it that are money. :func:`grant` is the one check: the API's dependencies, the
web pages' context and the CLI's report commands all call it, so a viewer sees the same
report through every door.

A role that may read the report but lacks ``finance.read`` either gets the report without
its money fields (``money_free``: counts, shares and conversions stay; the answer says
``"hidden": [...]`` and ``"reason": "needs finance.read"``) or is refused with a 403
(``refuse``: reports that are money through and through, such as CLV or cohort LTV).
"""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from tradewinds.auth.permissions import allowed, matrix
from tradewinds.errors import Forbidden
from tradewinds.i18n_markers import Text

FINANCE = "finance.read"
HIDDEN_REASON = f"needs {FINANCE}"
HIDDEN_TEXT = "—"
HIDDEN_NOTE = "Money figures are hidden: your role does not include finance figures."

WithoutFinance = Literal["money_free", "refuse"]


@dataclass(frozen=True)
class ReportAccess:
    """The declaration of one report: what it is called, who may read it, what is money.

    ``money`` names the report's money fields wherever they appear (JSON keys of the API
    answer and the CLI's ``--json``, keys of the page's view model, CSV column names: a
    column ``revenue_GBP`` is the field ``revenue``). ``money_labels`` are the beginnings of
    the page's tile labels that show money ("Revenue", "Ad spend").
    """

    name: str
    title: str
    permission: str
    money: frozenset[str] = frozenset()
    money_labels: tuple[str, ...] = ()
    without_finance: WithoutFinance = "money_free"

    def __post_init__(self) -> None:
        known = matrix().permissions
        if self.permission not in known:
            raise ValueError(f"report {self.name!r}: unknown permission {self.permission!r}")
        if self.without_finance not in ("money_free", "refuse"):
            raise ValueError(f"report {self.name!r}: without_finance must be money_free or refuse")

    @property
    def needs_finance(self) -> bool:
        """Whether a role without finance.read is refused the whole report."""
        return self.permission == FINANCE or (self.without_finance == "refuse" and bool(self.money))


# The plain permission checks of the edges, by the name each edge gives its dependency:
# ``api/deps.py`` and ``web/deps.py`` both declare ``DataReader``, ``FinanceReader`` … from
# this one table, so a route and a page that share a name need the same permission. Reports
# are declared with :func:`report` instead (their own permission and money fields).
GATES: dict[str, str] = {
    "WorkspaceReader": "workspace.read",
    "WorkspaceManager": "workspace.manage",
    "MembersReader": "members.read",
    "MembersManager": "members.manage",
    "KeysManager": "apikeys.manage",
    "AuditReader": "audit.read",
    "DataImporter": "data.import",
    "DataReader": "data.read",
    "SqlRunner": "sql.run",
    "FinanceReader": FINANCE,
    "ComplianceChecker": "compliance.check",
    "ComplianceManager": "compliance.manage",
    "AudienceExporter": "audiences.export",
    "ContentWriter": "content.write",
}


_REPORTS: dict[str, ReportAccess] = {}


def report(
    name: str,
    *,
    title: str,
    permission: str = "data.read",
    money: Iterable[str] = (),
    money_labels: Iterable[str] = (),
    without_finance: WithoutFinance = "money_free",
) -> ReportAccess:
    """Declare a report's access (once per name) and return the declaration."""
    declared = ReportAccess(
        name=name,
        title=title,
        permission=permission,
        money=frozenset(money),
        money_labels=tuple(money_labels),
        without_finance=without_finance,
    )
    if name in _REPORTS and _REPORTS[name] != declared:
        raise ValueError(f"report {name!r} is declared twice, differently")
    _REPORTS[name] = declared
    return declared


def all_reports() -> list[ReportAccess]:
    """Every declared report: each package's ``access`` module is imported first."""
    import tradewinds

    for module in pkgutil.iter_modules(tradewinds.__path__):
        if module.ispkg:
            try:
                importlib.import_module(f"tradewinds.{module.name}.access")
            except ModuleNotFoundError as exc:
                if exc.name != f"tradewinds.{module.name}.access":
                    raise
    return sorted(_REPORTS.values(), key=lambda r: r.name)


def check_permission(role: str, permission: str) -> None:
    """Raise 403 unless ``role`` grants ``permission`` (every edge's plain check)."""
    if not allowed(role, permission):
        raise Forbidden(
            Text(
                "the %(role)s role may not do this (%(permission)s)",
                role=role,
                permission=permission,
            ),
            details={"permission": permission},
        )


def grant(role: str, access: ReportAccess) -> Grant:
    """The one enforcement point for reports: may ``role`` read ``access``, and how much.

    Raises 403 when the role lacks the report's permission, or lacks finance.read for a
    report that has no money-free version."""
    if not allowed(role, access.permission):
        raise Forbidden(
            Text(
                "the %(role)s role may not read %(report)s (%(permission)s)",
                role=role,
                report=access.title,
                permission=access.permission,
            ),
            details={"permission": access.permission, "report": access.name},
        )
    if access.needs_finance and not allowed(role, FINANCE):
        raise Forbidden(
            Text(
                "the %(role)s role may not read %(report)s: its figures are money (%(permission)s)",
                role=role,
                report=access.title,
                permission=FINANCE,
            ),
            details={"permission": FINANCE, "report": access.name},
        )
    return Grant(access=access, role=role, finance=allowed(role, FINANCE))


@dataclass(frozen=True)
class Grant:
    """A role's leave to read one report; strips the money fields it may not see."""

    access: ReportAccess
    role: str
    finance: bool

    @property
    def hidden(self) -> tuple[str, ...]:
        return () if self.finance else tuple(sorted(self.access.money))

    def shows(self, name: str) -> bool:
        """Whether the field ``name`` (or a CSV column ``name_GBP``) may be shown."""
        return self.finance or not _is_money(name, self.access.money)

    def refuse_money(
        self, fields: Iterable[str], what: str, money: Iterable[str] | None = None
    ) -> None:
        """403 when money fields are asked for by name (a metric list, a segment rule);
        ``money`` names the money ones when they are not the report's own fields."""
        names = self.access.money if money is None else frozenset(money)
        asked = [] if self.finance else sorted({f for f in fields if f in names})
        if asked:
            raise Forbidden(
                Text(
                    "the %(role)s role may not read money figures: %(what)s uses "
                    "%(fields)s (%(permission)s)",
                    role=self.role,
                    what=what,
                    fields=", ".join(asked),
                    permission=FINANCE,
                ),
                details={"permission": FINANCE, "fields": asked},
            )

    # -- the API's and the CLI's answers -------------------------------------------------

    def strip(self, payload: Any) -> Any:
        """``payload`` without its money fields; a dict answer says what was hidden."""
        if self.finance:
            return payload
        found: set[str] = set()
        out = _without(payload, self.access.money, found)
        if isinstance(out, dict):
            out["hidden"] = sorted(found or self.access.money)
            out["reason"] = HIDDEN_REASON
        return out

    # -- pages ---------------------------------------------------------------------------

    def mask(self, context: dict[str, Any]) -> dict[str, Any]:
        """A page's template context with every money value shown as "—" and a note."""
        if self.finance:
            return context
        masked = {k: _masked(k, v, self.access) for k, v in context.items()}
        masked["money_hidden"] = HIDDEN_NOTE
        return masked

    def strip_csv(self, text: str) -> str:
        """A CSV download without its money columns."""
        if self.finance:
            return text
        rows = list(csv.reader(io.StringIO(text)))
        if not rows:
            return text
        keep = [i for i, name in enumerate(rows[0]) if self.shows(name)]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in rows:
            writer.writerow([row[i] for i in keep if i < len(row)])
        return out.getvalue()


def _is_money(name: str, money: frozenset[str]) -> bool:
    if name in money:
        return True
    base = name.removesuffix("_text")
    if base in money:
        return True
    head = name.rsplit("_", 1)[0]  # a CSV column in a currency: revenue_GBP
    return head in money and name[len(head) + 1 :].isupper()


def _without(value: Any, money: frozenset[str], found: set[str]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(key, str) and _is_money(key, money):
                found.add(key)
                continue
            out[key] = _without(item, money, found)
        return out
    if isinstance(value, list | tuple):
        return [_without(item, money, found) for item in value]
    return value


def _blank(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_blank(v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    return HIDDEN_TEXT


def _masked(key: Any, value: Any, access: ReportAccess) -> Any:
    if isinstance(key, str) and _is_money(key, access.money):
        return _blank(value)
    if isinstance(value, dict):
        return {k: _masked(k, v, access) for k, v in value.items()}
    if (
        isinstance(value, tuple)
        and len(value) in (2, 3)
        and all(isinstance(v, str) for v in value[:-1])
    ):
        # a tile: (label, value) or (field, label, value)
        field, label = (value[0], value[1]) if len(value) == 3 else (None, value[0])
        if (field is not None and _is_money(field, access.money)) or any(
            label.startswith(m) for m in access.money_labels
        ):
            return (*value[:-1], HIDDEN_TEXT)
        return value
    if isinstance(value, list):
        return [_masked(None, v, access) for v in value]
    return value


def access_table(reports: Iterable[ReportAccess] | None = None) -> str:
    """The "Who sees what" table of docs/security.md, from the declarations."""
    lines = [
        "| report | declared in | needs | a role without finance.read |",
        "|---|---|---|---|",
    ]
    for access in all_reports() if reports is None else reports:
        package = access.name.split(".", 1)[0]
        if access.needs_finance:
            without = "refused (403)"
        elif access.money:
            without = "sees it without " + ", ".join(f"`{m}`" for m in sorted(access.money))
        else:
            without = "sees all of it (no money in it)"
        needs = f"`{access.permission}`"
        if access.needs_finance and access.permission != FINANCE:
            needs += f" and `{FINANCE}`"
        lines.append(
            f"| {access.title} (`{access.name}`) | `{package}/access.py` | {needs} | {without} |"
        )
    return "\n".join(lines) + "\n"
