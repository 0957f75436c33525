"""Runs `nonceforge pool` on a free loopback port for the CLI tests (Python stdlib only)."""
import socket
import subprocess
import time


def free_port():
    # The port is released before the pool binds it; on loopback nothing else takes it between.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalPool:
    """`with LocalPool(binary, "--job-interval", "0") as pool:` ... pool.url"""

    def __init__(self, binary, *args, start_timeout=20.0):
        self.port = free_port()
        self.url = f"stratum+tcp://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [binary, "pool", "--bind", "127.0.0.1", "--port", str(self.port), "--duration", "120",
             *args],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + start_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nonceforge pool exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError(f"nonceforge pool not listening on {self.port}")
                time.sleep(0.05)

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
