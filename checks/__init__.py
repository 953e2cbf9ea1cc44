"""The built-in probes and their fixes. Each module declares its probes with
``diagwizard.api.probe`` and its fixes as ``diagwizard.api.fix.Fix`` constants; nothing
else lists them: ``python scripts/dev/generate.py`` writes the index the registry loads
them by (``diagwizard/engine/builtin_index.py``)."""
