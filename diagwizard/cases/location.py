"""Where the case log lives: the team's database named by ``$DIAGWIZARD_CASES_URL`` or the
config's ``[cases] url``, else a SQLite file in the user data folder; and the local queue
that keeps a team's cases while its server cannot be reached."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from diagwizard.cases.errors import BadUrl
from diagwizard.core.config import Config
from diagwizard.core.sanitize import clean
from diagwizard.core.text import Text
from diagwizard.core.words import cases as words

ENV = "DIAGWIZARD_CASES_URL"
LOCAL_FILE = "cases.sqlite3"
QUEUE_FILE = "cases-queue.sqlite3"
POSTGRES_DRIVER = "postgresql+psycopg"
_POSTGRES = ("postgresql", "postgres", POSTGRES_DRIVER)
_SQLITE = ("sqlite", "sqlite+pysqlite")


@dataclass(frozen=True)
class Location:
    """A case store: its SQLAlchemy URL and the setting that named it (for messages)."""

    url: URL
    setting: Text
    team: bool  # a configured store: its cases wait in the local queue when it is away

    @property
    def file(self) -> Path | None:
        """The SQLite file, or None for a server."""
        return Path(self.url.database or "") if self.url.get_backend_name() == "sqlite" else None

    @property
    def shown(self) -> str:
        """For messages: the file, or the URL with its password hidden."""
        if self.file is not None:
            return clean(str(self.file))
        plain = self.url.set(drivername=self.url.get_backend_name())  # as people write it
        return clean(plain.render_as_string(hide_password=True))


def data_dir() -> Path:
    return Path(user_data_dir("diagwizard"))


def local() -> Location:
    """The default store: a SQLite file of this user's, made on first use."""
    path = data_dir() / LOCAL_FILE
    return Location(URL.create("sqlite", database=str(path)), words.SETTING_DEFAULT, False)


def queue() -> Location:
    """The local queue of cases that could not reach the team's database yet."""
    path = data_dir() / QUEUE_FILE
    return Location(URL.create("sqlite", database=str(path)), words.SETTING_QUEUE, False)


def team_set(cfg: Config) -> bool:
    """Whether a team's database is configured (well or badly)."""
    return bool(os.environ.get(ENV, "") or cfg.cases.url)


def configured(cfg: Config) -> Location:
    """The store the configuration names (the environment variable wins)."""
    value = os.environ.get(ENV, "")
    if value:
        return parse(value, words.SETTING_ENV.fill(env=ENV))
    if cfg.cases.url:
        source = clean(cfg.source or "config.toml")
        return parse(cfg.cases.url, words.SETTING_CONFIG.fill(file=source))
    return local()


def parse(value: str, setting: Text) -> Location:
    """A configured URL as a store; a bad one is a :class:`BadUrl` naming ``setting``."""
    try:
        url = make_url(value.strip())
    except ArgumentError:
        raise BadUrl(words.BAD_URL, setting=setting) from None
    name = url.drivername.lower()
    if name in _POSTGRES:
        return Location(url.set(drivername=POSTGRES_DRIVER), setting, True)
    if name in _SQLITE and url.database and url.database != ":memory:":
        return Location(url.set(drivername="sqlite"), setting, True)
    raise BadUrl(words.BAD_URL, setting=setting)
