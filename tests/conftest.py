from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack.cases_fixtures import data_home, pg_url, postgres  # noqa: F401
from stack.fixtures import (  # noqa: F401  (fixtures are found by name)
    insert_card,
    pcscd_ctl,
    pcscd_no_readers,
    pcscd_stopped,
    pcscd_vpcd,
)
from stack.net_fixtures import grca_like_pki, net_config, pki  # noqa: F401
from stack.pkcs11_fixtures import (  # noqa: F401
    broken_modules,
    hipki,
    soft_tokens,
    test_ca,
    write_config,
)
