"""The helpdesk's case log: each decoded case code a person chose to log, with its
problems, outcome, the fix that worked, a short note and the agent's name.

A layer of its own between :mod:`diagwizard.diagnosis` (which turns a case code into
problems) and :mod:`diagwizard.ui` (the ``cases`` commands and the helpdesk's cases
screen). Storage is SQLAlchemy Core on SQLite (a file in the user data folder, no set-up)
or a team's PostgreSQL (psycopg 3); Alembic owns the schema's history
(:mod:`.migrations`). Only the commands that log or read cases import this package: a
check never loads SQLAlchemy.
"""
