"""What the benchmark ran on, so that numbers from two machines are not compared blindly."""

from __future__ import annotations

import os
import platform
import shlex
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

CPUINFO = Path("/proc/cpuinfo")


def cpu_model(cpuinfo: Path = CPUINFO) -> str:
    """The processor's model name from ``/proc/cpuinfo``, else what the platform says."""
    try:
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and value.strip():
                return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def tesseract_version() -> str | None:
    """``tesseract 5.3.0`` or the like; ``None`` without the command."""
    binary = shutil.which("tesseract")
    if binary is None:
        return None
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    lines = (done.stdout or done.stderr).splitlines()
    return lines[0].strip() if lines else None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def describe_machine(*, jobs: int) -> dict[str, Any]:
    """Cores, CPU model, load, the versions of the OCR tools, and the command line.

    Called before the run starts, so that the load is that of other work.
    """
    return {
        "cores": os.cpu_count(),
        "jobs": jobs,
        "cpu_model": cpu_model(),
        "tesseract": tesseract_version(),
        "tesserocr": _version("tesserocr"),
        "ocrmypdf": _version("ocrmypdf"),
        "python": platform.python_version(),
        # Other work on the machine skews every throughput figure: a load near the core
        # count before the run starts says the numbers are not to be trusted.
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
        "command": shlex.join(["intake", *sys.argv[1:]]),
    }
