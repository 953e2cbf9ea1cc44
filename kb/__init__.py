"""The built-in knowledge base: TOML entries under ``entries/`` plus their loader.

Registered as the ``builtin`` entry point of the ``kb`` group; plugins can
register their own data directories the same way.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
