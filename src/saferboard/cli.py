"""The ``saferboard`` command: a thin wrapper around Django's management commands.

Every Saferboard command is a management command, so ``saferboard X`` and
``python -m django X`` (with ``DJANGO_SETTINGS_MODULE=saferboard.settings``) behave
the same. ``saferboard --help`` lists the Saferboard commands; ``saferboard help``
lists every command, Django's included.
"""

from __future__ import annotations

import os
import sys

USAGE = """\
usage: saferboard COMMAND [options]

Saferboard runs a Community Safety Partnership's performance and accountability cycle.

Commands:
  demo [--no-serve] [--host H] [--port P]
                        create the database, load the demo partnership (idempotent)
                        and serve it; --no-serve loads only
  serve [--host H] [--port P] [--workers N] [--no-worker]
                        serve the application with a production WSGI server (gunicorn)
                        and its static files, and one background worker beside it
  worker [--batch] [--nice N] [--no-schedule]
                        run queued background work (imports, pack builds, refreshes,
                        daily reminders and retention); --batch runs what is queued,
                        then stops; --nice lowers its CPU priority (default 10);
                        --no-schedule queues no daily work
  migrate               apply database migrations
  init --partnership NAME --area NAME_OR_ONS_CODE --admin USERNAME --admin-email EMAIL
       [--admin-name NAME] [--financial-year-start MONTH] [--no-input]
                        set up a new installation: the partnership, its local
                        authority, police force and crime source, the standard
                        measures and RAG rules, and the first administrator, who
                        signs in with the printed one-time link (valid 24 hours);
                        asks for what is missing unless --no-input; refuses a
                        database that has a partnership or the demo
  setup template --out FILE.xlsx
                        write the empty set-up workbook (a Notes sheet explains
                        every column)
  setup import FILE.xlsx [--dry-run]
                        create or update organisations, people, priorities,
                        commitments and boards from a workbook, all-or-nothing
  setup export (--out FILE.xlsx | --json)
                        the current set-up in the workbook's form
  measure list [--source SOURCE] [--json]
                        list the measures
  measure add --source SOURCE --slug SLUG --label LABEL [--include ...] [--exclude ...]
              [--plus ...] [--minus ...] [--direction D] [--rule R] [--json]
                        define a measure without code (see docs/measures.md)
  measure edit SLUG --source SOURCE [options of add]
                        change a measure; a RAG rule change makes a new rule version
  setup template --out FILE.xlsx
                        write an empty set-up workbook (a sheet per kind, a Notes sheet)
  setup import FILE.xlsx [--dry-run]
                        create or update organisations, people, priorities, commitments
                        and boards from a set-up workbook, all-or-nothing
  setup export (--out FILE.xlsx | --json)
                        write the current set-up in the same form
  crime import PATH... [--format auto|police-uk|mps-recorded-crime|mps-crime-dashboard]
                        import police.uk street files (files, folders, monthly .zip),
                        Met recorded-crime files or the Met's monthly crime dashboard
                        extract (knife crime, domestic abuse, hate crime; CSV or
                        Parquet), all-or-nothing
  crime dashboard --area NAME_OR_CODE --to YYYY-MM [--source police-uk|mps] [--json]
                        rolling-year crime dashboard for an area
  crime rank --measure SLUG --to YYYY-MM --peers london|all|FILE [--source police-uk|mps]
             [--json]   rank areas on one crime measure
  population import PATH... [--year YYYY]
                        import ONS mid-year population estimates (single year of age)
  geography import PATH...
                        import the ONS LSOA -> ward -> local authority lookups
  yj import DIR [--mapping FILE.json]
                        import a youth justice case management export (folder of CSVs),
                        its columns renamed by a mapping (given, or remembered)
  yj template --out DIR header-only CSVs of the export, with NOTES.md on each column
  yj sample --out DIR   a small SYNTHETIC export to try the import
  yj published FILE --published-on YYYY-MM-DD [--mapping FILE.json] [--sheet NAME]
                        import published MoJ/YJB youth justice statistics (CSV or XLSX)
  yj kpis --service NAME --from YYYY-MM-DD --to YYYY-MM-DD [--cohort 12m|3m] [--json]
                        first time entrants, reoffending and custody of a service
  yj kpis2023 --service NAME --from YYYY-MM-DD --to YYYY-MM-DD [--json] [--return FILE.csv]
                        the ten 2023 YJB key performance indicators, and the quarterly return
  yj benchmark import FILE
                        import published comparator figures or peer groups
  yj rank --measure M --from YYYY-MM-DD --to YYYY-MM-DD --peers GROUP
          [--source published|local] [--json]
                        rank a peer group on a measure (1 = best; ties share a rank)
  actions import-hmi-ratings [FILE]
                        import HMI Probation's published youth justice inspection
                        ratings (default: the shipped copy), all-or-nothing
  strategy rounds       list reporting rounds with their ids and outstanding returns
  strategy remind --round ID
                        email the partner leads of organisations with returns
                        outstanding in a round, and log each reminder
  meetings remind --meeting ID
                        email each owner of an open matter arising before a meeting
  panels retention [--apply] [--today YYYY-MM-DD]
                        list closed panel cases past their retention period (never
                        younger than 6 months); --apply deletes them, audited
  panels aggregates [--store] [--panel SLUG] [--today YYYY-MM-DD]
                        print each panel's published (suppressed) aggregates; --store
                        saves them as observations for dashboards
  pack --meeting ID [--format pdf|docx|html] [--public|--restricted] --out PATH
                        build a meeting's board pack (public by default: exempt
                        items left out, small numbers suppressed) and write it to PATH
  api token create --user USERNAME --scope read|write [--name NAME] [--organisation SLUG]
                        make an API token for a user (printed once; only its hash is kept)
  api token revoke ID   revoke an API token
  api schema [--output PATH]
                        print or write the OpenAPI schema (docs/openapi.json)
  backup [--out DIR]    back up the database and data directory to one checksummed
                        .tar.gz (SQLite online backup or pg_dump)
  restore ARCHIVE [--force]
                        restore a backup after verifying every checksum
  createsuperuser       create an administrator account
  help                  list every command, Django's included
  COMMAND --help        options of one command

Settings come from the environment:
  DATABASE_URL          database (default: SQLite in $SABO_DATA_DIR/saferboard.sqlite3;
                        postgres://user:pass@host:5432/name for PostgreSQL)
  SECRET_KEY            required in production; Saferboard refuses to start without it
  PSEUDONYM_KEY         key for pseudonymising case identifiers; required in production
  SABO_DATA_DIR         data directory (default: ./data)
  DEBUG                 'true' for development only (default: off)
  SABO_MODE             production (default), demo or test
  SABO_API_RATE         API requests allowed per token (default: 600/m)
  SABO_BASE_URL         the address people reach Saferboard by, used in emailed
                        links; required in production
  EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
  EMAIL_USE_SSL, DEFAULT_FROM_EMAIL
                        the mail server that invitations, password links and
                        reminders go through (EMAIL_BACKEND to use another backend)
"""


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``saferboard`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(USAGE, end="")
        return
    if args[0] == "demo":
        # The demo runs on embedded defaults: no secret key to set up first.
        os.environ.setdefault("SABO_MODE", "demo")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferboard.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["saferboard", *args])


if __name__ == "__main__":
    main()
