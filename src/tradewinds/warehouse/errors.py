"""Errors raised by the warehouse package."""

from __future__ import annotations


class WarehouseError(Exception):
    """A warehouse operation failed; the message says why in the user's terms."""


class WarehouseBusy(WarehouseError):
    """Another process holds the embedded warehouse file for writing."""


class ReadOnlyViolation(WarehouseError):
    """The SQL console refused a statement that is not a plain read."""
