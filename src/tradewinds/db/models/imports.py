"""Import history: each upload of export files, its files, their counts and row errors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tradewinds.db.base import Base, UTCDateTime, utcnow

#: job states; ``queued`` and ``running`` are the only ones that can still change
JOB_STATUSES = ("queued", "running", "done", "failed")
#: file states; ``aborted`` = read, but too many bad rows, so nothing was imported
FILE_STATUSES = ("queued", "running", "done", "aborted", "failed")


class ImportJob(Base):
    """One upload (one or more files) and the background work that imports it."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="queued")
    format: Mapped[str | None] = mapped_column(String(60), doc="chosen format, None = detect")
    progress: Mapped[float] = mapped_column(Float, default=0.0, doc="0 .. 1")
    stage: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[str | None] = mapped_column(Text, doc="why the job failed")
    message_text: Mapped[dict | None] = mapped_column(
        JSON, doc="the message id and values of ``message`` (None: English only)"
    )
    runner: Mapped[str | None] = mapped_column(String(200), doc="host:pid:token running it")
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    files: Mapped[list[ImportFile]] = relationship(
        back_populates="job", order_by="ImportFile.position", cascade="all, delete-orphan"
    )


class ImportFile(Base):
    """One uploaded file of a job: where it is stored and what importing it did."""

    __tablename__ = "import_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(
        ForeignKey("import_jobs.id", ondelete="CASCADE"), index=True
    )
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(255), doc="the file name as uploaded")
    stored_path: Mapped[str] = mapped_column(Text, doc="relative to TRADEWINDS_HOME")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    read: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(
        JSON, default=list, doc="first row errors (each reason's id and values: reason_text)"
    )
    errors_total: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[list] = mapped_column(JSON, default=list)
    message: Mapped[str | None] = mapped_column(Text, doc="why the file could not be read")
    message_text: Mapped[dict | None] = mapped_column(
        JSON, doc="the message id and values of ``message`` (None: English only)"
    )
    notes_text: Mapped[list | None] = mapped_column(
        JSON, doc="the message id and values of each note (None: English only)"
    )

    job: Mapped[ImportJob] = relationship(back_populates="files")
