"""The store's exceptions, in a module that imports nothing heavy, so that a
command can name them without loading SQLAlchemy."""

from __future__ import annotations


class DatabaseError(Exception):
    """The database cannot be opened or upgraded (one-line message)."""


class SqlError(Exception):
    """A query that was refused or failed; the message is one line."""


class ReadOnlyError(SqlError):
    """A query that would write."""
