"""Servers that tests (and the benchmarks) run as real processes: a free port, and a command
started in a process group of its own, waited for until it answers, and stopped with whatever
workers it started."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from typing import IO, Any

import httpx

Output = int | IO[Any] | None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def local_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def start(
    command: Sequence[str],
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    stdout: Output = subprocess.DEVNULL,
    stderr: Output = subprocess.DEVNULL,
) -> subprocess.Popen[bytes]:
    """`command` in a session (and so a process group) of its own, for `stop`."""
    return subprocess.Popen(
        command, env=env, cwd=cwd, stdout=stdout, stderr=stderr, start_new_session=True
    )


def wait_until_answering(
    url: str,
    process: subprocess.Popen[bytes] | None = None,
    healthy: bool = True,
    seconds: float = 60,
) -> None:
    """Return once `url` answers: with a 200 when `healthy`, with anything otherwise (a server
    whose database is down answers 503). Fails if the process exits first, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server exited ({process.returncode}): {process.args!r}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=10).status_code == 200 or not healthy:
                return
        time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {seconds:g} s")


def stop(process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """SIGTERM to the process and its workers; SIGKILL if they are not gone after `seconds`."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def serving(
    command: Sequence[str],
    port: int,
    env: dict[str, str] | None = None,
    probe: str = "/health",
    healthy: bool = True,
    **output: Any,
) -> Iterator[subprocess.Popen[bytes]]:
    """`command` listening on `port`, once `probe` answers (see `wait_until_answering`);
    stopped when the block ends. `output`: `cwd`, `stdout` and `stderr` for `start`."""
    process = start(command, env, **output)
    try:
        wait_until_answering(local_url(port) + probe, process, healthy)
        yield process
    finally:
        stop(process)
