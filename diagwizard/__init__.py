"""diagwizard: find out why a Taiwan government smart-card certificate login fails.

Kept import-light on purpose: `diagwizard --version` must not pull in heavy libraries.
"""

__version__ = "0.1.0"
