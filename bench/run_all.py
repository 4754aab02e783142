"""Run every benchmark in bench/ and print their JSON results."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

for script in ("ingest_bench.py", "search_bench.py", "load_bench.py"):
    print(f"== {script}", flush=True)
    subprocess.run([sys.executable, str(Path(__file__).parent / script)], check=True)
