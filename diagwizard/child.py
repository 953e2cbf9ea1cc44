"""``python -m diagwizard.child``: runs one isolated probe (see isolation.py)."""

from diagwizard.isolation import child_main

if __name__ == "__main__":
    raise SystemExit(child_main())
