"""Peak memory of a piece of code, measured in a fresh subprocess (the test process has its own peak).

The child's peak is Linux's VmHWM, reset just before the code runs (writing 5 to /proc/self/clear_refs):
getrusage's ru_maxrss cannot be used, as a child inherits the parent's peak across fork and exec.
With cap_mb the child's address space is also capped (RLIMIT_AS) at what it has mapped plus cap_mb before
the code runs: code that tries to allocate more ends in MemoryError (the outcome says so), as on a
machine with that much memory left.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.helpers import REPO_ROOT

_RUNNER = """
import json, sys


def kib(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field))


{setup}
if {cap_mb} is not None:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, ((kib("VmSize:") + {cap_mb} * 1024) * 1024, resource.RLIM_INFINITY))
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # reset the peak (VmHWM) to the current RSS
base = kib("VmRSS:")
outcome = "ok"
try:
{call}
except BaseException as exc:
    outcome = f"{{type(exc).__name__}}: {{exc}}"
peak = kib("VmHWM:")
print(json.dumps({{"growth_mb": (peak - base) / 1024, "outcome": outcome}}))
"""


def peak_growth(setup: str, call: str, timeout: float = 300, cap_mb: int | None = None) -> tuple[float, str]:
    """(MB of peak RSS growth while `call` runs after `setup`, "ok" or "ExcType: message")."""
    code = _RUNNER.format(setup=textwrap.dedent(setup), call=textwrap.indent(textwrap.dedent(call), "    "),
                          cap_mb=cap_mb)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO_ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result["growth_mb"], result["outcome"]
