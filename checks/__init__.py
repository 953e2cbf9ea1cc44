"""Built-in probes. Each module exports ``PROBES``; pyproject.toml registers them as
entry points in the ``checks`` group, the same way plugins do."""
