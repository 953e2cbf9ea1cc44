"""Which packages setuptools installs (the rest of the metadata is in pyproject.toml).

Every package under diagwizard/, plus the repository folders checks/ and kb/ installed
as diagwizard.checks and diagwizard.kb, so the wheel's only top-level name is diagwizard.
Found, not listed, so a new subpackage needs no edit here.
"""

from setuptools import find_packages, setup

MAPPED = {"diagwizard.checks": "checks", "diagwizard.kb": "kb"}

packages = find_packages(include=["diagwizard", "diagwizard.*"])
for name, folder in MAPPED.items():
    packages += [name, *(f"{name}.{sub}" for sub in find_packages(folder))]

setup(packages=packages, package_dir=dict(MAPPED))
