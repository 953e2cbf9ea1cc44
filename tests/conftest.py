from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import FUZZ_EXPLORE
from stack.cases_fixtures import data_home, pg_url, postgres  # noqa: F401
from stack.fixtures import (  # noqa: F401  (fixtures are found by name)
    insert_card,
    pcscd_ctl,
    pcscd_no_readers,
    pcscd_stopped,
    pcscd_vpcd,
)
from stack.net_fixtures import grca_like_pki, net_config, pki  # noqa: F401
from stack.nss_fixtures import nss_home  # noqa: F401
from stack.pkcs11_fixtures import (  # noqa: F401
    broken_modules,
    hipki,
    soft_tokens,
    test_ca,
    write_config,
)

# Every property test draws the same examples on every run (a random draw once failed a
# clean CI on a bug it found by chance), and no failure saved by an earlier run changes
# what a run tests. DIAGWIZARD_FUZZ_EXPLORE=<n> draws n fresh examples per test instead;
# add what it finds as an @example.
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, suppress_health_check=_QUIET
)
settings.register_profile(
    "explore",
    max_examples=max(FUZZ_EXPLORE, 1),
    derandomize=False,
    deadline=None,
    suppress_health_check=_QUIET,
)
settings.load_profile("explore" if FUZZ_EXPLORE else "ci")
