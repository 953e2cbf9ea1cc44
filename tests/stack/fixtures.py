"""pytest fixtures for the smart-card stack (real pcscd + vpcd + our emulator)."""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from stack.cardemu import CardEmulator
from stack.pcscd import Pcscd, wait_for_card

# One pcscd serves the whole machine: a second test session (another checkout, the
# benchmark) waits here until this one is done with it, instead of both driving it.
MACHINE_LOCK = Path("/tmp/dw-pcscd.lock")


@pytest.fixture(scope="session")
def pcscd_ctl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd]:
    with MACHINE_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ctl = Pcscd(tmp_path_factory.mktemp("empty-reader-conf"))
        try:
            yield ctl
        finally:
            ctl.stop()


@pytest.fixture
def pcscd_vpcd(pcscd_ctl: Pcscd) -> Pcscd:
    """pcscd running with the two vpcd virtual readers."""
    pcscd_ctl.resume()
    pcscd_ctl.start(vpcd=True)
    return pcscd_ctl


@pytest.fixture
def pcscd_no_readers(pcscd_ctl: Pcscd) -> Pcscd:
    pcscd_ctl.start(vpcd=False)
    return pcscd_ctl


@pytest.fixture
def pcscd_stopped(pcscd_ctl: Pcscd) -> Pcscd:
    pcscd_ctl.stop()
    return pcscd_ctl


@pytest.fixture
def insert_card(pcscd_vpcd: Pcscd) -> Iterator[Callable[..., CardEmulator]]:
    """insert_card(atr=..., mute=..., wait=True) -> a card in 'Virtual PCD 00 00'."""
    cards: list[CardEmulator] = []

    def insert(wait: bool = True, **kwargs: object) -> CardEmulator:
        emu = CardEmulator(**kwargs)  # type: ignore[arg-type]
        emu.insert()
        cards.append(emu)
        if wait:
            wait_for_card(True)
        return emu

    yield insert
    for emu in cards:
        emu.remove()
    if pcscd_vpcd.mode == "vpcd" and cards:
        try:
            wait_for_card(False)
        except Exception:
            pcscd_vpcd.stop()  # leave a clean machine for the next scenario


__all__ = ["Path", "insert_card", "pcscd_ctl", "pcscd_no_readers", "pcscd_stopped", "pcscd_vpcd"]
