"""The contract between diagwizard and its probes, built-in or plugin: everything a probe
module imports from diagwizard comes from here.

    from diagwizard.api import Context, FindingDef, Result, Step, Text, found, ok, probe

A probe is a function declared with :func:`probe`; it reads ``ctx.config``, the OS through
``ctx.os``, and the results of the probes it declared it reads; it returns what it found.
A fix (see :mod:`diagwizard.api.fix`) says how to change what a probe found, with consent.
"""

from diagwizard.api.context import Context, Resources
from diagwizard.api.probe import Probe, ProbeFunc, probe, probes_in
from diagwizard.core.model import (
    Area,
    Fact,
    Finding,
    FindingDef,
    Platform,
    Result,
    Severity,
    Status,
    Step,
    found,
    ok,
    result,
    skipped,
)
from diagwizard.core.text import Text

__all__ = [
    "Area",
    "Context",
    "Fact",
    "Finding",
    "FindingDef",
    "Platform",
    "Probe",
    "ProbeFunc",
    "Resources",
    "Result",
    "Severity",
    "Status",
    "Step",
    "Text",
    "found",
    "ok",
    "probe",
    "probes_in",
    "result",
    "skipped",
]
