"""The words the pages and the CLI show for a verdict, a finding's severity and a pack's
scope (marked for the catalogs; translated where they are shown). JSON keeps the codes."""

from __future__ import annotations

from tradewinds.i18n_markers import N_

VERDICTS = {
    "block": N_("blocked"),
    "warn": N_("check before publishing"),
    "pass": N_("passed"),
}
SEVERITIES = {"block": N_("blocks"), "warn": N_("warning"), "info": N_("note")}
SCOPES = {
    "global": N_("every market"),
    "market": N_("market"),
    "platform": N_("platform"),
    "user": N_("your own"),
}
