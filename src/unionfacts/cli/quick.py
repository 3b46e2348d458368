"""`unionfacts sql ...` without Typer: start-up time (issue 10).

Typer takes a fifth of a second to import and validates every parameter
with pydantic, another fifth: more than `sql` on a SQLite file at head needs
in all. `quick_main` reads the plain forms of a `sql` command line itself
and runs the same `run_sql` as the Typer command:

    sql QUERY [--db DB | --db=DB] [--format F | --format=F]   (any order)

with F one of table, csv, json and $UNIONFACTS_DB standing in for a missing
--db, as Typer would. Anything else (help, a repeated or unknown option, a
value that starts with "-", a second argument, `--`, shell completion, and
any line on Windows, where Click expands wildcards in arguments) returns
None and Typer parses it: its errors and help stay the only ones.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import NamedTuple

OPTIONS = ("--db", "--format")
FORMATS = ("table", "csv", "json")
DB_ENVVAR = "UNIONFACTS_DB"  # the envvar of cli.common.DbOption
COMPLETE_ENVVAR = "_UNIONFACTS_COMPLETE"


class SqlArgs(NamedTuple):
    query: str
    db: str | None
    fmt: str


def parse_sql_args(argv: list[str]) -> SqlArgs | None:
    """The arguments of a plain `sql` command line; None for any other."""
    if not argv or argv[0] != "sql" or os.environ.get(COMPLETE_ENVVAR) or os.name == "nt":
        return None
    query: str | None = None
    given: dict[str, str] = {}
    rest = argv[1:]
    i = 0
    while i < len(rest):
        token = rest[i]
        i += 1
        if not token.startswith("-"):
            if query is not None:
                return None  # a second argument: Typer's error
            query = token
            continue
        name, eq, value = token.partition("=")
        if name not in OPTIONS or name in given:
            return None
        if not eq:
            if i == len(rest):
                return None  # an option without its value
            value = rest[i]
            i += 1
        if value.startswith("-"):
            return None
        given[name] = value
    fmt = given.get("--format", "table")
    if query is None or fmt not in FORMATS:
        return None
    db = given["--db"] if "--db" in given else (os.environ.get(DB_ENVVAR) or None)
    return SqlArgs(query, db, fmt)


def quick_main(argv: list[str]) -> int | None:
    """Run a plain `sql` command line and give its exit code; None when Typer
    should parse `argv`."""
    args = parse_sql_args(argv)
    if args is None:
        return None
    from unionfacts.cli.sql_run import SqlFormat, run_sql

    try:
        return run_sql(args.query, args.db, SqlFormat(args.fmt))
    except KeyboardInterrupt:
        return 130  # as Typer
    except OSError as e:
        if e.errno != errno.EPIPE:
            raise
        # The reader went away (`| head`): exit 1 quietly, as Typer does,
        # without a second error when Python flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
