"""`unionfacts db upgrade` and `unionfacts db current`."""

from __future__ import annotations

import typer

from unionfacts.cli.application import app
from unionfacts.cli.common import DbOption
from unionfacts.cli.output import say, warn
from unionfacts.store.errors import DatabaseError

db_app = typer.Typer(help="Create, upgrade and inspect the database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(database: DbOption = None) -> None:
    """Create the database or bring its schema to the newest revision.

    `ingest` does this too; `check` and `review` upgrade an existing database."""
    from unionfacts.store import db

    try:
        engine = db.open_database(database, on_upgrade=warn)
    except DatabaseError as e:
        warn(f"error: {e}")
        raise typer.Exit(2) from None
    try:
        say(f"{db.resolve_url(database)}: at revision {db.current_revision(engine)}")
    finally:
        engine.dispose()


@db_app.command("current")
def current(database: DbOption = None) -> None:
    """Show the schema revision of the database and the newest one available.

    Reads only: a missing file is not created, another application's is not touched."""
    from unionfacts.store import db

    url = db.resolve_url(database)
    try:
        revision = db.probe_revision(url)
    except DatabaseError as e:
        warn(f"error: {e}")
        raise typer.Exit(2) from None
    except Exception as e:  # a bad URL or an unreachable server: one line
        warn(f"error: {url}: {e}".splitlines()[0])
        raise typer.Exit(2) from None
    say(f"current: {revision or 'none (empty database)'}; head: {db.head_revision()}")
