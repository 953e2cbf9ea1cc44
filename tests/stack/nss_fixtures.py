"""Browser NSS databases made with certutil/modutil, and a home holding two of them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from stack.pkcs11_fixtures import SOFTHSM_MODULE


def make_nssdb(folder: Path, module: str | None, env: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"],
        check=True,
        capture_output=True,
    )
    if module:
        subprocess.run(
            [
                "modutil",
                "-dbdir",
                f"sql:{folder}",
                "-add",
                "Card module",
                "-libfile",
                module,
                "-force",
            ],
            check=True,
            capture_output=True,
            env={**os.environ, **env},
        )
    return folder


@pytest.fixture
def nss_home(soft_tokens, tmp_path: Path, write_config):
    """A home with Chrome's and a Firefox profile's NSS databases, neither loading the
    card's module; the CLI's environment (HOME, data dir, SoftHSM) and config. The card
    module is SoftHSM2 under a name of its own, since this machine's p11-kit already
    lists libsofthsm2.so (and p11-kit counts as registered)."""
    token = soft_tokens["healthy"]
    module = tmp_path / "libcardmod.so"
    shutil.copy(SOFTHSM_MODULE, module)
    home = tmp_path / "home"
    chrome = make_nssdb(home / ".pki" / "nssdb", None, token.env)
    firefox = make_nssdb(home / ".mozilla" / "firefox" / "ab12.default-release", None, token.env)
    env = {
        **token.env,
        "SOFTHSM2_CONF": str(token.conf),
        "HOME": str(home),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "DIAGWIZARD_CONFIG": str(write_config(modules=[str(module)])),
    }
    return home, [chrome, firefox], env
