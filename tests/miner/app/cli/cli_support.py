"""Running the built `nonceforge` as a user would, for the tests of label `cli`.

The binary comes from the NONCEFORGE environment variable (CTest sets it). Every run is bounded
in time; a pool for the miner is `nonceforge pool` itself, on 127.0.0.1 and a free port.
"""

import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import unittest

BINARY = os.environ.get("NONCEFORGE", "")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))


class Result:
    def __init__(self, rc, out, err, seconds):
        self.rc = rc
        self.out = out
        self.err = err
        self.seconds = seconds

    def err_lines(self):
        return [l for l in self.err.splitlines() if l.strip()]

    def __repr__(self):
        return "rc=%s\nstdout:\n%s\nstderr:\n%s" % (self.rc, self.out[-3000:], self.err[-3000:])


def run(args, timeout=60, env=None, stdin=subprocess.DEVNULL, cwd=None):
    """Runs nonceforge with `args` to its end; returns a Result."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.pop("NONCEFORGE_API_TOKEN", None)
    if env:
        full_env.update(env)
    start = time.monotonic()
    p = subprocess.run([BINARY] + list(args), capture_output=True, text=True, timeout=timeout,
                       env=full_env, stdin=stdin, cwd=cwd)
    return Result(p.returncode, p.stdout, p.stderr, time.monotonic() - start)


def start(args, env=None, preexec_fn=None):
    """Starts nonceforge with `args` (stdout and stderr to pipes); the caller ends it."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    if env:
        full_env.update(env)
    return subprocess.Popen([BINARY] + list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=full_env,
                            stdin=subprocess.DEVNULL, preexec_fn=preexec_fn)


class LineWatcher:
    """Reads a process's stream on a thread; wait_for() blocks until a line matches."""

    def __init__(self, stream):
        self.lines = []
        self._cond = threading.Condition()
        self._done = False
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream):
        for line in stream:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._done = True
            self._cond.notify_all()

    def wait_for(self, pattern, timeout=30):
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            seen = 0
            while True:
                for line in self.lines[seen:]:
                    m = regex.search(line)
                    if m:
                        return m
                seen = len(self.lines)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._done:
                    return None
                self._cond.wait(remaining)

    def join(self, timeout=10):
        self._thread.join(timeout)
        return "\n".join(self.lines)


class Pool:
    """`nonceforge pool` on 127.0.0.1 and a free port, for the duration of a test."""

    def __init__(self, difficulty=0.0005, job_interval=30, block_interval=0, extra_args=()):
        """`extra_args`: more options of `nonceforge pool` (`["--refuse-shares"]`, ...)."""
        self.proc = start(["pool", "--port", "0", "--difficulty", str(difficulty),
                           "--job-interval", str(job_interval),
                           "--block-interval", str(block_interval)] + list(extra_args))
        self.err = LineWatcher(self.proc.stderr)
        m = self.err.wait_for(r"pool listening on (stratum\+tcp://127\.0\.0\.1:(\d+))", 20)
        if not m:
            self.stop()
            raise RuntimeError("the test pool did not start:\n" + "\n".join(self.err.lines))
        self.url = m.group(1)
        self.port = int(m.group(2))

    def stop(self):
        """Stops the pool (once; later calls return the same output): its stdout, the summary."""
        if self.proc.stdout.closed:
            return self.out
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        out = self.proc.stdout.read()
        self.err.join()
        self.proc.stdout.close()
        self.proc.stderr.close()
        self.out = out
        return out

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


CONTINUATION = re.compile(r"^\[[^\]]*\] \[\w+\]   (.*)$")


def unwrap_log(text):
    """The log with wrapped lines (continuations indented by two spaces) joined again."""
    lines = []
    for line in text.splitlines():
        m = CONTINUATION.match(line)
        if m and lines:
            lines[-1] += " " + m.group(1)
        else:
            lines.append(line)
    return "\n".join(lines)


def write_json(directory, name, value):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        if isinstance(value, str):
            f.write(value)
        else:
            json.dump(value, f)
    return path


class CliTest(unittest.TestCase):
    """A test case with a temporary folder and the binary checked."""

    def setUp(self):
        self.assertTrue(BINARY and os.access(BINARY, os.X_OK),
                        "set NONCEFORGE to the built binary (got %r)" % BINARY)
        self._tmp = tempfile.TemporaryDirectory(prefix="nf-cli-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp, name)

    def assertUsageError(self, result, *needles):
        """Exit 2, exactly one line on stderr containing every needle, nothing on stdout,
        no hashing started."""
        self.assertEqual(result.rc, 2, result)
        lines = result.err_lines()
        self.assertEqual(len(lines), 1, result)
        self.assertTrue(lines[0].startswith("nonceforge: "), result)
        for n in needles:
            self.assertIn(n, lines[0], result)
        self.assertEqual(result.out, "", result)
        self.assertNotIn("CPU:", result.err)

    def print_config(self, args, **kw):
        r = run(["mine"] + list(args) + ["--print-config"], timeout=30, **kw)
        self.assertEqual(r.rc, 0, r)
        return json.loads(r.out)
