"""What the API hands out about imports: each import, its files, and the rows left out or
worth a look."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class RowErrorPublic(BaseModel):
    """A row left out (an error) or imported as it is but worth a look (a warning)."""

    file: str
    row: int | None
    field: str | None
    value: str | None
    reason: str
    message: str


class ImportFilePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    format: str | None
    status: str
    size_bytes: int
    read: int
    imported: int
    duplicates: int
    rejected: int
    errors_total: int
    warnings_total: int = Field(
        description="row warnings kept (at most 1,000; a note gives the full count beyond that)"
    )
    notes: list[str]
    message: str | None
    message_id: str | None = Field(
        default=None,
        description="the English message id of message (the same in every language); "
        "None for imports recorded before message ids were kept",
    )


class ImportFileDetail(ImportFilePublic):
    errors: list[RowErrorPublic]
    warnings: list[RowErrorPublic] = Field(
        description="rows imported as they are but worth a look: a negative quantity that is "
        "not a return, a negative price, a date before 1990 or in the future"
    )
    uploaded_before: list[int]


class ImportPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    outcome: str
    format: str | None
    progress: float
    stage: str
    message: str | None
    message_id: str | None = Field(
        default=None, description="the English message id of message, as for a file"
    )
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    read: int
    imported: int
    duplicates: int
    rejected: int
    errors_total: int
    warnings_total: int
    files: list[ImportFilePublic]


class ImportDetail(ImportPublic):
    files: list[ImportFileDetail]  # type: ignore[assignment]


class ImportList(BaseModel):
    imports: list[ImportPublic]
