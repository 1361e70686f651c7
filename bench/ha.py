"""A two-node PostgreSQL cluster under Patroni with etcd, on loopback in a temporary directory: the HA harness.

    with ha.cluster() as c:          # etcd + two Patroni nodes, synchronous replication, short TTLs
        url = c.create_database("gongji")   # postgresql://...@127.0.0.1:P0,127.0.0.1:P1/gongji?target_session_attrs=...
        old = c.leader()
        c.kill_postmaster(old)       # or c.kill_node(old) ... c.start_node(old)
        new = c.wait_leader(other_than=old)
        c.wait_standby(old)          # the old primary rejoined as the synchronous standby (pg_rewind)

bench/failover.py and tests/test_failover.py share it. Every process it starts runs from the temporary directory and
is stopped when the `with` ends, on failure too. The Patroni settings are the ones docs/deploy.md recommends.
"""
import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

PG_BIN = next((f"/usr/lib/postgresql/{v}/bin" for v in sorted(os.listdir("/usr/lib/postgresql"), reverse=True)
               if os.path.exists(f"/usr/lib/postgresql/{v}/bin/postgres")), None) \
    if os.path.isdir("/usr/lib/postgresql") else None
RUN_AS = "postgres"   # PostgreSQL refuses to run as root
# What the cluster keeps in etcd: the leader key lives `ttl` s, Patroni looks every `loop_wait` s.
DCS = {"ttl": 10, "loop_wait": 1, "retry_timeout": 4, "maximum_lag_on_failover": 0, "primary_start_timeout": 0,
       "synchronous_mode": True, "synchronous_mode_strict": True,
       "postgresql": {"use_pg_rewind": True, "use_slots": True, "remove_data_directory_on_rewind_failure": True,
                      "remove_data_directory_on_diverged_timelines": True,
                      "parameters": {"max_connections": 200, "shared_buffers": "32MB", "wal_keep_size": "256MB",
                                     "synchronous_commit": "on", "wal_log_hints": "on", "hot_standby": "on",
                                     "max_wal_senders": 10, "max_replication_slots": 10}}}
INITDB = [{"encoding": "UTF8"}, {"locale": "C.UTF-8"}, "data-checksums"]
HBA = ["local all all trust", "host replication replicator 127.0.0.1/32 trust", "host all all 127.0.0.1/32 trust"]


def missing():
    """Why the harness cannot run here (a sentence), or None."""
    absent = [name for name in ("patroni", "etcd") if not shutil.which(name)]
    if absent or PG_BIN is None:
        what = ", ".join(absent or ["PostgreSQL server binaries"])
        return f"the HA harness needs {what} (apt install patroni etcd-server)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(RUN_AS)
        except KeyError:
            return f"running as root, the HA harness needs a {RUN_AS} user to run PostgreSQL as"
    return None


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class Cluster:
    def __init__(self, root):
        self.root = root
        self.etcd_port, etcd_peer, *ports = free_ports(6)
        self.pg_ports, self.api_ports, self.etcd_peer = ports[:2], ports[2:], etcd_peer
        self.procs = {}   # "etcd" / 0 / 1 -> Popen

    # -- processes ------------------------------------------------------------------------------------------------
    def _spawn(self, key, args):
        log = open(os.path.join(self.root, f"{key if key == 'etcd' else f'node{key}'}.log"), "ab")
        user = {"user": RUN_AS, "group": RUN_AS} if os.geteuid() == 0 else {}
        self.procs[key] = subprocess.Popen(args, cwd=self.root, stdout=log, stderr=subprocess.STDOUT,
                                           start_new_session=True, env=dict(os.environ, HOME=self.root), **user)
        log.close()

    def start(self, timeout=120):
        self._spawn("etcd", ["etcd", "--name", "ha", "--data-dir", os.path.join(self.root, "etcd"),
                             "--listen-client-urls", f"http://127.0.0.1:{self.etcd_port}",
                             "--advertise-client-urls", f"http://127.0.0.1:{self.etcd_port}",
                             "--listen-peer-urls", f"http://127.0.0.1:{self.etcd_peer}",
                             "--initial-advertise-peer-urls", f"http://127.0.0.1:{self.etcd_peer}",
                             "--initial-cluster", f"ha=http://127.0.0.1:{self.etcd_peer}"])
        _until(lambda: _get(f"http://127.0.0.1:{self.etcd_port}/health"), timeout, "etcd did not start")
        self.start_node(0)
        self.wait_leader(timeout=timeout)
        self.start_node(1)
        self.wait_standby(1, timeout=timeout)
        return self

    def config(self, i):
        return {"scope": "gongji", "namespace": "/gongji-ha/", "name": f"node{i}",
                "restapi": {"listen": f"127.0.0.1:{self.api_ports[i]}",
                            "connect_address": f"127.0.0.1:{self.api_ports[i]}"},
                "etcd3": {"hosts": [f"127.0.0.1:{self.etcd_port}"]},
                "bootstrap": {"dcs": DCS, "initdb": INITDB,
                              "pg_hba": HBA},
                "postgresql": {"listen": f"127.0.0.1:{self.pg_ports[i]}",
                               "connect_address": f"127.0.0.1:{self.pg_ports[i]}",
                               "data_dir": self.data_dir(i), "bin_dir": PG_BIN,
                               "pgpass": os.path.join(self.root, f"pgpass{i}"), "pg_hba": HBA,
                               "authentication": {"superuser": {"username": "postgres", "password": "ha"},
                                                  "replication": {"username": "replicator", "password": "ha"},
                                                  "rewind": {"username": "postgres", "password": "ha"}},
                               "parameters": {"unix_socket_directories": self.root}}}

    def data_dir(self, i):
        return os.path.join(self.root, f"pg{i}")

    def start_node(self, i):
        """Start (or restart) node i's Patroni; it starts its PostgreSQL, as a standby when another node leads."""
        path = os.path.join(self.root, f"node{i}.yml")
        with open(path, "w") as fh:
            json.dump(self.config(i), fh)   # JSON is YAML
        self._spawn(i, ["patroni", path])

    def postmaster(self, i):
        try:
            with open(os.path.join(self.data_dir(i), "postmaster.pid")) as fh:
                return int(fh.readline())
        except (OSError, ValueError):
            return None

    def kill_postmaster(self, i):
        """SIGKILL node i's postmaster (its backends exit with it); Patroni on that node lives on."""
        os.kill(self.postmaster(i), signal.SIGKILL)

    def kill_node(self, i):
        """The node dies: SIGKILL its Patroni and its postmaster at once."""
        pid = self.postmaster(i)
        self.procs[i].kill()
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.procs[i].wait()

    def stop(self):
        for key in (0, 1, "etcd"):
            proc = self.procs.get(key)
            if proc and proc.poll() is None:
                proc.terminate()   # Patroni stops its PostgreSQL (fast) before it exits
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for pid in _ours(self.root):   # a postmaster a killed Patroni left behind, its children
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    # -- state ----------------------------------------------------------------------------------------------------
    def url(self, database):
        """The app's DATABASE_URL: both nodes, and only the one that takes writes (libpq multi-host)."""
        hosts = ",".join(f"127.0.0.1:{p}" for p in self.pg_ports)
        return f"postgresql://postgres@{hosts}/{database}?target_session_attrs=read-write&connect_timeout=2"

    def node_url(self, i, database):
        return f"postgresql://postgres@127.0.0.1:{self.pg_ports[i]}/{database}"

    def members(self):
        """{node index: Patroni's view of it (role, state, lag)} from whichever REST API answers."""
        for port in self.api_ports:
            body = _get(f"http://127.0.0.1:{port}/cluster")
            if body:
                return {int(m["name"][4:]): m for m in json.loads(body)["members"]}
        return {}

    def leader(self):
        return next((i for i, port in enumerate(self.api_ports) if _get(f"http://127.0.0.1:{port}/primary")), None)

    def wait_leader(self, other_than=None, timeout=60):
        """The index of the node that leads (and takes writes), once one other than `other_than` does."""
        return _until(lambda: next((i for i in (0, 1) if i != other_than and
                                    _get(f"http://127.0.0.1:{self.api_ports[i]}/primary")), None),
                      timeout, "no new leader")

    def wait_standby(self, i, timeout=90):
        """Node i runs as the synchronous standby, streaming from the leader."""
        return _until(lambda: _get(f"http://127.0.0.1:{self.api_ports[i]}/synchronous"), timeout,
                      f"node{i} did not become the synchronous standby: {self.members()}")

    def create_database(self, name):
        leader = self.wait_leader()
        subprocess.run([os.path.join(PG_BIN, "psql"), "-h", "127.0.0.1", "-p", str(self.pg_ports[leader]),
                        "-U", "postgres", "-qAt", "-c", f'DROP DATABASE IF EXISTS "{name}"',
                        "-c", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
        return self.url(name)


def _get(url):
    """The body of a 200 answer, or None (refused, another status, too slow)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.read() or b"{}"
    except OSError:
        return None


def _until(probe, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = probe()
        if found is not None:
            return found
        time.sleep(0.2)
    raise TimeoutError(what)


def _ours(root):
    """Processes whose command line names our temporary directory (our postmasters and their children)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError), open(f"/proc/{entry}/cmdline", "rb") as fh:
                if root.encode() in fh.read():
                    pids.append(int(entry))
    return pids


@contextlib.contextmanager
def cluster(keep=False):
    """A started Cluster in a new temporary directory; everything stopped (and the directory gone) afterwards."""
    root = tempfile.mkdtemp(prefix="gongji-ha-")
    if os.geteuid() == 0:
        shutil.chown(root, RUN_AS, RUN_AS)
    c = Cluster(root)
    try:
        yield c.start()
    finally:
        c.stop()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
