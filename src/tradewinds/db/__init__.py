"""App database: SQLAlchemy 2 ORM, Alembic migrations; SQLite by default, PostgreSQL supported."""
