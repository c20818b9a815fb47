"""Load benchmark of the service: POST /v1/lint with a 100-node tree at 16 concurrent clients.

    python bench/service_load.py                       # writes bench/RESULTS-service.md
    python bench/service_load.py --workers 1 2 --trees distinct same --duration 10 --no-write

Starts ``kinerjalint serve`` on a free loopback port with a fresh data folder, makes an
``opd`` token, and drives ``wrk`` (Debian's package, with a small Lua script for the POST
body) for a bounded time; without wrk, an asyncio httpx client does the same. Records
throughput and p50/p99 latency. All traffic goes to 127.0.0.1 and stops by itself.
Target (issue 6): at least 100 requests per second with p99 under 200 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS-service.md"
MEDIA = {"yaml": "application/yaml", "json": "application/json"}


@dataclass
class Run:
    tool: str
    workers: int
    fmt: str
    nodes: int
    connections: int
    seconds: float
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float = 0.0  # server CPU time (all its processes) per request
    trees: str = "distinct"  # every request a tree with texts not seen before, or the same tree
    rss_mib: float = 0.0  # resident memory of the server and its checker processes after the run

    @property
    def capacity(self) -> float:
        """Requests per second the server's own CPU cost allows on all cores, if nothing else ran."""
        return (os.cpu_count() or 1) * 1000 / self.cpu_ms if self.cpu_ms else 0.0

    @property
    def meets_target(self) -> bool:
        return self.rps >= 100 and self.p99_ms < 200 and self.errors == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def kinerjalint(*args: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run([sys.executable, "-m", "kinerjalint", *args], capture_output=True, text=True,
                         check=True, env=env, timeout=120)
    return out.stdout.strip()


def _family(root: int) -> list[int]:
    """A process and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(p for p, pp in parents.items() if pp == pid)
    return out


def rss_mib(root: int) -> float:
    """Resident memory of a process and its descendants, MiB."""
    total = 0
    for pid in _family(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def cpu_seconds(root: int) -> float:
    """User + system CPU seconds of a process and all its descendants (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in _family(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


class Server:
    def __init__(self, data: Path, workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "KINERJALINT_ACCESS_LOG": "0"}
        self.log = open(data / "server.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen([sys.executable, "-m", "kinerjalint", "serve", "--port", str(self.port),
                                      "--data", str(data), "--workers", str(workers)],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        import httpx

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("the service did not start; see " + str(data / "server.log"))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


# Every generated statement and indicator ends in "wilayah <serial>"; each request rewrites
# those serials with a tag of its own, so that no request sends a text the server has seen
# (its caches of words and phrases then help as they would with real, different trees).
SERIAL = re.compile(r"wilayah (\d+)")


def distinct_body(body: bytes, tag: str) -> bytes:
    return SERIAL.sub(lambda m: f"wilayah {m.group(1)}-{tag}", body.decode("utf-8")).encode("utf-8")


def lua_script(path: Path, body: Path, fmt: str, token: str, distinct: bool) -> Path:
    def lua(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    text = (
        f'local f = assert(io.open({lua(str(body))}, "rb"))\n'
        "wrk.method = \"POST\"\n"
        "wrk.body = f:read(\"*a\")\n"
        "f:close()\n"
        f'wrk.headers["Content-Type"] = {lua(MEDIA[fmt])}\n'
        f'wrk.headers["Authorization"] = {lua("Bearer " + token)}\n')
    if distinct:  # a tag per request: the thread's random prefix and a counter
        text += (
            "local template = wrk.body\n"
            "local made = 0\n"
            "function setup(thread)\n"
            "  made = made + 1\n"
            "  thread:set(\"tid\", made)\n"
            "end\n"
            "local counter = 0\n"
            "function request()\n"
            "  counter = counter + 1\n"
            "  local tag = tostring(tid) .. \"-\" .. counter\n"
            "  local body = template:gsub(\"wilayah (%d+)\", \"wilayah %1-\" .. tag)\n"
            "  return wrk.format(nil, nil, nil, body)\n"
            "end\n")
    path.write_text(text, encoding="utf-8")
    return path


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[m.group(2)]


def run_wrk(url: str, script: Path, connections: int, seconds: int) -> tuple[int, int, float, float, float]:
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "--timeout", "10s", "-s", str(script), url],
                         capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    return requests, errors, rps, p50, p99


def run_httpx(url: str, body: bytes, fmt: str, token: str, connections: int,
              seconds: int, distinct: bool) -> tuple[int, int, float, float, float]:
    import httpx

    latencies: list[float] = []
    errors = 0

    async def client(c: httpx.AsyncClient, stop: float, k: int) -> None:
        nonlocal errors
        n = 0
        while time.monotonic() < stop:
            n += 1
            payload = distinct_body(body, f"{k}-{n}") if distinct else body
            t = time.perf_counter()
            try:
                r = await c.post(url, content=payload)
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - t)
            errors += not ok

    async def main() -> float:
        headers = {"Content-Type": MEDIA[fmt], "Authorization": f"Bearer {token}"}
        limits = httpx.Limits(max_connections=connections)
        async with httpx.AsyncClient(headers=headers, limits=limits, timeout=10) as c:
            start = time.monotonic()
            await asyncio.gather(*(client(c, start + seconds, k) for k in range(connections)))
            return time.monotonic() - start

    elapsed = asyncio.run(main())
    q = statistics.quantiles(latencies, n=100)
    return len(latencies), errors, len(latencies) / elapsed, q[49] * 1000, q[98] * 1000


def measure(workers: int, fmt: str, nodes: int, connections: int, seconds: int, tool: str,
            distinct: bool = True) -> Run:
    with tempfile.TemporaryDirectory(prefix="kinerjalint-bench-") as tmp:
        folder = Path(tmp)
        tree = folder / f"pohon-{nodes}.{fmt}"
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(nodes), str(tree), "--plain"], check=True)
        data = folder / "data"
        token = kinerjalint("token", "create", "--role", "opd", "--agency", "Bench", "--data", str(data))
        server = Server(data, workers)
        try:
            url = f"{server.url}/v1/lint"
            import httpx

            warm = httpx.post(url, content=tree.read_bytes(), timeout=30,
                              headers={"Content-Type": MEDIA[fmt], "Authorization": f"Bearer {token}"})
            warm.raise_for_status()
            for _ in range(3 * workers):  # every worker has compiled its rules and run once
                httpx.post(url, content=tree.read_bytes(), timeout=30,
                           headers={"Content-Type": MEDIA[fmt], "Authorization": f"Bearer {token}"})
            cpu0 = cpu_seconds(server.proc.pid)
            if tool == "wrk":
                res = run_wrk(url, lua_script(folder / "post.lua", tree, fmt, token, distinct), connections, seconds)
            else:
                res = run_httpx(url, tree.read_bytes(), fmt, token, connections, seconds, distinct)
            cpu = cpu_seconds(server.proc.pid) - cpu0
            rss = rss_mib(server.proc.pid)
        finally:
            server.stop()
    return Run(tool, workers, fmt, nodes, connections, seconds, *res, cpu_ms=cpu * 1000 / max(1, res[0]),
               trees="distinct" if distinct else "same", rss_mib=rss)


def report(runs: list[Run]) -> str:
    lines = [
        "# Service load benchmark",
        "",
        "Written by `python bench/service_load.py`; see bench/README.md. `POST /v1/lint` of a generated",
        "tree (`bench/generate.py`), 16 concurrent clients, loopback only. Target: >= 100 req/s and",
        "p99 < 200 ms on 2 cores.",
        "",
        f"Measured {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load generator on the same machine; "
        f"load average before the runs: {os.getloadavg()[0]:.2f}.",
        "",
        "*server CPU ms/req*: CPU time of all server processes divided by the requests served;",
        "*capacity*: cores x 1000 / that, the rate the server's own cost allows when nothing else",
        "(the load generator included) shares the cores. It is steadier than req/s on a busy machine.",
        "*server RSS*: resident memory of the server and its checker processes after the run.",
        "",
        "*trees*: `distinct`: every request rewrites the tree's serial numbers with a tag of its own,",
        "so no text repeats and no cache of the server is warmer than with real, different trees;",
        "`same`: one tree posted again and again (caches of words and phrases all hit).",
        "",
        "| workers | format | trees | nodes | clients | tool | seconds | requests | errors | req/s | p50 ms "
        "| p99 ms | target | server CPU ms/req | capacity req/s | server RSS MiB |",
        "|---:|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(f"| {r.workers} | {r.fmt} | {r.trees} | {r.nodes} | {r.connections} | {r.tool} | {r.seconds:.0f} | "
                     f"{r.requests} | {r.errors} | {r.rps:.1f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
                     f"{'met' if r.meets_target else 'missed'} | {r.cpu_ms:.1f} | {r.capacity:.0f} | "
                     f"{r.rss_mib:.0f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--workers", type=int, nargs="+", default=[1])
    ap.add_argument("--formats", nargs="+", default=["yaml", "json"], choices=sorted(MEDIA))
    ap.add_argument("--nodes", type=int, default=100)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--duration", type=int, default=20, help="seconds per run")
    ap.add_argument("--tool", choices=["auto", "wrk", "httpx"], default="auto")
    ap.add_argument("--trees", nargs="+", default=["distinct"], choices=["distinct", "same"],
                    help="distinct: no text repeats between requests (default); same: one tree again and again")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    runs = []
    for fmt, w, trees in [(f, w, t) for f in args.formats for w in args.workers for t in args.trees]:
        r = measure(w, fmt, args.nodes, args.connections, args.duration, tool, trees == "distinct")
        print(f"workers={w} {fmt} {trees}: {r.rps:.1f} req/s, p50 {r.p50_ms:.1f} ms, p99 {r.p99_ms:.1f} ms, "
              f"{r.errors} errors ({r.requests} requests, {tool}); server {r.cpu_ms:.1f} CPU ms/req, "
              f"capacity {r.capacity:.0f} req/s", flush=True)
        runs.append(r)
    text = report(runs)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
