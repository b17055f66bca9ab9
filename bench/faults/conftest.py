"""`make faults` owns its Redis (a private redis-server) and, for the restart, its own PostgreSQL cluster,
so stopping them never disturbs the machine's shared services."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.smtp import free_port  # the personas and switches come from bench/conftest.py

REDIS_PORT = int(os.environ.get("FAULTS_REDIS_PORT", "6391"))


def redis_start() -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server"), "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"], stdout=subprocess.DEVNULL,
    )  # fmt: skip
    ping = [shutil.which("redis-cli"), "-p", str(REDIS_PORT), "ping"]
    for _ in range(50):
        if subprocess.run(ping, capture_output=True).stdout.strip() == b"PONG":  # noqa: S603
            return server
        time.sleep(0.1)
    raise RuntimeError("private redis-server did not start")


def redis_stop(server: subprocess.Popen) -> None:
    server.kill()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def private_redis():
    server = redis_start()
    holder = {"server": server}
    yield holder
    redis_stop(holder["server"])


@pytest.fixture(scope="session")
def private_postgres():
    """A throw-away PostgreSQL cluster (run as the postgres user) to restart in the middle of an import."""
    folder = Path(tempfile.mkdtemp(prefix="portal-faults-pg-"))  # pytest's own tmp is private to root
    shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    run_as = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*run_as, "initdb", "-D", str(data), "-A", "trust", "-U", "postgres"], check=True,  # noqa: S603
                   capture_output=True)  # fmt: skip
    ctl = [*run_as, "pg_ctl", "-D", str(data), "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1",
           "-l", str(folder / "log"), "-w"]  # fmt: skip

    def control(action: str) -> None:
        subprocess.run([*ctl, action, *(["-m", "fast"] if action != "start" else [])], check=True,  # noqa: S603
                       capture_output=True)  # fmt: skip

    control("start")
    subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "faults"], check=True)  # noqa: S603, S607
    yield {"url": f"postgres://postgres@127.0.0.1:{port}/faults", "control": control}
    control("stop")
    shutil.rmtree(folder, ignore_errors=True)
