"""Alembic's script directory for the case log: ``env.py`` and ``versions/``.

Run from :mod:`diagwizard.cases.migrate` on the connection it opened (no ``alembic.ini``).
The revision files are read from disk by Alembic, so the one-file program carries them as
data (``packaging/diagwizard.spec``). Never edit a released revision: add a new one.
"""
