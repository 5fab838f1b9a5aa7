"""The worker processes of a build end with the process that started them, however it ends: a
``mkdocs serve`` stopped by SIGTERM or SIGKILL never reaches ``on_shutdown``, which closes the pool."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = """
import multiprocessing, operator, sys, time
from readingmap.render.workers import Pool

if __name__ == "__main__":
    pool = Pool(3)
    batch = pool.run(operator.add, [], list(range(400)), minimum=1)
    assert batch.finish() == list(range(400))
    assert pool.started
    print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads process states from /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_when_the_process_that_started_them_is_killed(tmp_path: Path, sig: signal.Signals) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert child.stdout is not None
        workers = [int(pid) for pid in child.stdout.readline().split()]
        assert len(workers) == 2, "the pool started no worker processes"
        assert all(_alive(pid) for pid in workers)
        os.kill(child.pid, sig)
        child.wait(timeout=20)
        deadline = time.monotonic() + 20
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in workers if _alive(pid)] == []
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
