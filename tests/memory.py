"""Peak memory of a piece of code, measured in a fresh subprocess (the test process has its own peak)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.helpers import REPO_ROOT

_RUNNER = """
import json, resource, sys
{setup}
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcome = "ok"
try:
{call}
except BaseException as exc:
    outcome = f"{{type(exc).__name__}}: {{exc}}"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"growth_mb": (peak - base) / 1024, "outcome": outcome}}))
"""


def peak_growth(setup: str, call: str, timeout: float = 300) -> tuple[float, str]:
    """(MB of peak RSS growth while `call` runs after `setup`, "ok" or "ExcType: message")."""
    code = _RUNNER.format(setup=textwrap.dedent(setup), call=textwrap.indent(textwrap.dedent(call), "    "))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result["growth_mb"], result["outcome"]
