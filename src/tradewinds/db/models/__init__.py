"""ORM models by domain. Importing this package registers every model on Base.metadata.

Each module in this package is imported automatically, so a capability adds its tables
by adding a module here (and an Alembic migration).
"""

from __future__ import annotations

import importlib
import pkgutil

from tradewinds.db.base import Base

for _info in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_info.name}")

__all__ = ["Base"]
