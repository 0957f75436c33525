"""`nonceforge probe` streams: the negotiated session and each job are on stdout (a pipe, so
block-buffered unless flushed) while the probe still waits for the next job.

usage: probe_streaming_test.py NONCEFORGE
"""
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from local_pool import LocalPool  # noqa: E402


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


class Probe:
    """The probe running, its stdout lines collected live as (seconds since start, line)."""

    def __init__(self, binary, url, *args):
        self.start = time.monotonic()
        self.proc = subprocess.Popen([binary, "probe", url, *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.alive_at = {}  # line index -> the probe was still running when it reached us
        self.err = []
        self.readers = [threading.Thread(target=self._read_stdout),
                        threading.Thread(target=lambda: self.err.extend(self.proc.stderr))]
        for r in self.readers:
            r.start()

    def _read_stdout(self):
        for line in self.proc.stdout:
            now = time.monotonic() - self.start
            # Still running when this line reached us: it was flushed as it was printed.
            self.alive_at[len(self.lines)] = self.proc.poll() is None
            self.lines.append((now, line.rstrip("\n")))

    def wait(self, timeout):
        """Exit status and stderr; fails the test when the probe outlives `timeout` seconds."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            fail(f"probe still running after {timeout} s")
        for r in self.readers:
            r.join()
        return self.proc.returncode, "".join(self.err)


def first_index(lines, prefix):
    for i, (_, line) in enumerate(lines):
        if line.startswith(prefix):
            return i
    return None


def main():
    binary = sys.argv[1]

    # 1. A pool that sends one job and no more: the probe asked for 2 must show the session and
    #    job 1 at once, then wait until its timeout (exit 1).
    with LocalPool(binary, "--job-interval", "0", "--block-interval", "0") as pool:
        timeout = 4
        probe = Probe(binary, pool.url, "--jobs", "2", "--timeout", str(timeout))
        rc, err = probe.wait(timeout + 20)
        ended = time.monotonic() - probe.start
        lines, alive_at = probe.lines, probe.alive_at
        connected = first_index(lines, "connected to ")
        job1 = first_index(lines, "job 1: id ")
        if connected is None or job1 is None:
            fail(f"no session or job 1 printed: {lines}")
        if connected > job1:
            fail("the negotiated session was printed after the job")
        if not alive_at[job1]:
            fail("job 1 reached the pipe only when the probe exited (not flushed)")
        # Job 1 comes within milliseconds of connecting; 1 s of margin for a loaded machine. A
        # probe that holds its output until exit shows job 1 within a few ms of the end.
        if ended - lines[job1][0] < 1.0:
            fail(f"job 1 came {lines[job1][0]:.2f} s after start and the probe ended at "
                 f"{ended:.2f} s: not streamed ahead of the end")
        if rc != 1 or "probe timed out after 4 s (1 job(s) seen)" not in err:
            fail(f"expected exit 1 and a timeout line, got {rc}: {err}")
        if first_index(lines, "job 2:") is not None:
            fail("a second job appeared from a pool that sends one")
        print(f"one-job pool: session and job 1 at {lines[job1][0]:.2f} s, exit 1 at "
              f"{ended:.2f} s")

    # 2. A pool with a new job every 0.5 s: three jobs, then exit 0 without waiting for the
    #    timeout.
    with LocalPool(binary, "--job-interval", "0.5", "--block-interval", "0") as pool:
        probe = Probe(binary, pool.url, "--jobs", "3", "--timeout", "30")
        rc, err = probe.wait(25)
        lines = probe.lines
        if rc != 0:
            fail(f"exit {rc}: {err}")
        for n in (1, 2, 3):
            if first_index(lines, f"job {n}: id ") is None:
                fail(f"job {n} missing: {lines}")
        if first_index(lines, "job 4:") is not None:
            fail("more jobs than --jobs 3")
        print(f"0.5 s pool: 3 jobs, exit 0 after {time.monotonic() - probe.start:.2f} s")
    print("PASS")


if __name__ == "__main__":
    main()
