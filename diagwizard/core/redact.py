"""Personal-data redaction for everything that leaves the machine.

Every fact a probe marks as personal is replaced by a placeholder such as
``[personal-1]``. The same value always gets the same placeholder, and the value is
also replaced wherever it appears inside other text (summaries, messages), whatever its
length: a two-character name (王明) is as personal as a long one.

Over-redaction of short common words is avoided by matching whole values and name
tokens only: a value that starts or ends with a Latin letter or digit matches only
between non-alphanumeric characters ("Ta" never matches inside "Taipei"). Values that
are fields of a personal record (the certificate objects of a token: their labels "CA",
ids "01", module names "HiCOS") and short Latin values (up to two letters or digits) are
replaced only where they stand as a whole value, never hunted inside other text: they
name nobody on their own. Credentials in URLs (``http://user:pass@host``) are removed
by pattern, whether or not a probe marked them, because a proxy URL may come from the
environment, malformed.

Whatever probes ran, an enabled redactor also knows this machine's login name (unless
it is a built-in account such as root), home folder and host name: a path like
``/home/<login>/.pki/nssdb`` in any fact is redacted even when ``sys.os`` did not run.
"""

from __future__ import annotations

import getpass
import re
import socket
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from diagwizard.core.model import Result

# Built-in OS accounts name no person, and they are common words in messages ("root
# certificate"): the probe that reads the account reports them as ordinary facts.
_BUILTIN_ACCOUNTS = frozenset({"root", "admin", "administrator", "user", "guest", "system"})
_TOKEN_SPLIT = re.compile(r"[\s,;/]+")
_ALNUM = re.compile(r"[0-9A-Za-z]")
_PLAIN_WORD = re.compile(r"[a-z]+")
# scheme://userinfo@ (greedy up to the last @ before the path) or bare user:pass@host.
_CREDENTIALS = re.compile(
    r"(?i)(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<userinfo>[^/\s@]*(?:@[^/\s@]*)*)@"
    r"|(?<![\w.+-])(?P<bare>[^\s/@:\"'<>]+:[^\s/@\"'<>]*)@(?=[\w\[])"
)


def scrub_credentials(text: str, replacement: str = "[personal]") -> str:
    """Replace the user:password part of every URL-like string."""

    def sub(m: re.Match[str]) -> str:
        if m.group("scheme"):
            return f"{m.group('scheme')}{replacement}@"
        return f"{replacement}@"

    return _CREDENTIALS.sub(sub, text)


def is_builtin_account(name: str) -> bool:
    """True for an account every machine has (root, Administrator): not personal data."""
    return name.lower() in _BUILTIN_ACCOUNTS


# Host names that name no machine in particular.
_GENERIC_HOSTS = frozenset({"localhost", "localhost.localdomain", "localdomain"})


def machine_identity() -> list[str]:
    """This run's login name, home folder and host name (the personal ones among them)."""
    out: list[str] = []
    try:
        user = getpass.getuser()
    except (KeyError, OSError, ImportError):
        user = ""
    if user and not is_builtin_account(user):
        out.append(user)
    try:
        home = str(Path.home())
    except (KeyError, RuntimeError, OSError):
        home = ""
    if len(home) > 1 and not is_builtin_account(Path(home).name):
        out.append(home)
    host = socket.gethostname()
    if host and host.lower() not in _GENERIC_HOSTS:
        out.append(host)
        short = host.split(".")[0]
        if short != host and short.lower() not in _GENERIC_HOSTS:
            out.append(short)
    return out


def _short(key: str) -> bool:
    """A value too short to hunt in text: up to two Latin letters or digits ("CA", "01")."""
    return len(key) <= 2 and key.isascii()


def _boundaried(key: str) -> str:
    """A regex for ``key`` that cannot match inside a longer Latin word or number."""
    pat = re.escape(key)
    if _ALNUM.match(key[0]):
        pat = r"(?<![0-9A-Za-z])" + pat
    if _ALNUM.match(key[-1]):
        pat += r"(?![0-9A-Za-z])"
    return pat


class Redactor:
    def __init__(self, enabled: bool = True, *, machine: bool = True) -> None:
        """``machine``: also redact this machine's login, home folder and host name (learnt
        when first needed, after the run's own values, so their numbers come first)."""
        self.enabled = enabled
        self._map: dict[str, str] = {}
        self._hunted: set[str] = set()  # values looked for inside other text
        self._tokens: dict[str, str] = {}  # name token -> placeholder of its whole value
        self._ordered: list[str] | None = None
        self._machine = enabled and machine

    def learn(self, results: Iterable[Result]) -> None:
        for res in results:
            for fact in res.facts.values():
                if fact.personal:
                    self._learn_value(fact.value, hunt=True)
        self._ordered = None

    def learn_value(self, value: Any) -> None:
        """Treat one more value (e.g. read from the OS by the caller) as personal,
        wherever it appears."""
        self._learn_value(value, hunt=True, short_too=True)
        self._ordered = None

    def _learn_machine(self) -> None:
        if self._machine:
            self._machine = False
            for value in machine_identity():
                self._learn_value(value, hunt=True, short_too=True)
            self._ordered = None

    def _learn_value(self, value: Any, hunt: bool, short_too: bool = False) -> None:
        if value is None or value == "" or isinstance(value, bool):
            return
        if isinstance(value, dict):
            # A record's fields (a label, an id, a slot) name nobody on their own: they
            # are replaced where they stand as a whole value, not hunted in text.
            for v in value.values():
                self._learn_value(v, hunt=False)
            return
        if isinstance(value, (list, tuple, set)):
            for v in value:
                self._learn_value(v, hunt, short_too)
            return
        key = str(value)
        if key not in self._map:
            self._map[key] = f"[personal-{len(self._map) + 1}]"
        if not hunt or (_short(key) and not short_too):
            return
        self._hunted.add(key)
        if "=" in key or "/" in key or "\\" in key:
            return  # a DN or a path: the whole value is personal, its parts are not names
        for token in _TOKEN_SPLIT.split(key):
            # A name's parts are personal too (王 小明, Wang Xiao-Ming); an all-lowercase
            # Latin word ("card" in the label "card certificate") is ordinary vocabulary.
            if len(token) >= 2 and token != key and not _PLAIN_WORD.fullmatch(token):
                if not _short(token):
                    self._tokens.setdefault(token, self._map[key])

    def placeholder(self, value: Any) -> Any:
        if not self.enabled:
            return value
        self._learn_machine()
        if isinstance(value, dict):
            return {k: self.placeholder(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.placeholder(v) for v in value]
        if value is None or value == "" or isinstance(value, bool):
            return value
        return self._map.get(str(value), "[personal]")

    def _lookup(self, found: str) -> str:
        return self._map.get(found) or self._tokens[found]

    def _keys(self) -> list[str]:
        """Every value to look for in free text, the longest first."""
        if self._ordered is None:
            keys = {k for k in (*self._hunted, *self._tokens) if len(k) >= 2}
            self._ordered = sorted(keys, key=len, reverse=True)
        return self._ordered

    def _pattern_for(self, s: str) -> re.Pattern[str] | None:
        """A pattern of only the values that occur in ``s``: most texts hold none, so
        nothing is compiled for them (one pattern of every value cost ~17 ms a run)."""
        present = [k for k in self._keys() if k in s]
        return re.compile("|".join(_boundaried(k) for k in present)) if present else None

    def text(self, s: str) -> str:
        """Replace every known personal value embedded in free text."""
        if not self.enabled:
            return scrub_credentials(s, "***") if "@" in s else s
        self._learn_machine()
        if "@" in s:
            s = scrub_credentials(s)
        if s in self._map:  # a whole value of any length, even one character
            return self._map[s]
        pattern = self._pattern_for(s)
        return pattern.sub(lambda m: self._lookup(m.group(0)), s) if pattern else s

    def deep(self, value: Any) -> Any:
        """Redact embedded personal values inside a non-personal fact value."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        return value
