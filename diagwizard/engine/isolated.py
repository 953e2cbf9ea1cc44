"""An isolated probe: the runner sends it to a child process (``diagwizard.isolation``),
where :func:`run_probe` loads it by its ``module:attr`` target and runs it. The parent never
loads the probe's native code; a crash or hang in the child becomes a result here.

The configuration and the results it needs go to the child, and its result comes back,
in msgspec's own encoding: each is decoded into its type on the other side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from diagwizard.api.context import Context
from diagwizard.core.config import Config
from diagwizard.core.model import Result
from diagwizard.engine import runner_results
from diagwizard.isolation import calls as isolation


def run_isolated(
    target: str,
    probe_id: str,
    config: Config,
    needs: Mapping[str, Result],
    timeout: float,
) -> Result:
    """Run the probe ``probe_id`` (found at ``target``) in a fresh child process."""
    args = {"target": target, "probe_id": probe_id, "config": config, "results": dict(needs)}
    try:
        answer: Result = isolation.call_isolated(
            f"{__name__}:run_probe", args, timeout, returns=Result
        )
        return answer
    except isolation.ChildFailed as exc:
        if not exc.contained:  # ended before it ran: said, never run uncontained
            return runner_results.not_contained(exc.how)
        if exc.answered:  # the child was fine; the call itself raised
            return runner_results.crashed(exc.how)
        return (
            runner_results.timed_out(timeout) if exc.timed_out else runner_results.crashed(exc.how)
        )
    except (OSError, ValueError, TypeError) as exc:  # ValidationError is a ValueError
        return runner_results.raised(exc)


def run_probe(
    target: str, probe_id: str, config: dict[str, Any], results: dict[str, Any]
) -> Result:
    """In the child: run the probe and answer with its result; never raises."""
    from diagwizard.engine import registry  # lazy: the registry loads plugin machinery
    from diagwizard.system import adapters  # lazy: picks this platform's adapter

    try:
        reg = registry.load_target(target)
        probe = reg.probes.get(probe_id)
        if probe is None:
            raise LookupError(f"probe {probe_id} not found in child")
        ctx = Context(
            config=msgspec.convert(config, Config),
            os=adapters.current(),
            results=msgspec.convert(results, dict[str, Result]),
        )
        res = probe.run(ctx)
    except Exception as exc:
        res = runner_results.raised(exc)
    return res
