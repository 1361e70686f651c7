"""py-spy under load: sample every gunicorn worker during one run, then print the top of the profile.

    python -m bench.profiles FILE.raw   # the summary of an earlier recording
"""
import collections
import os
import re
import shutil
import subprocess
import sys

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]*)(?::\d+)?\)$")


def record(server, path, seconds, drive):
    """Sample the workers of `server` (a gunicorn Popen) while `drive()` loads it; writes PATH.raw and PATH.txt.

    Only the thread holding the GIL is sampled: a profile of CPU, where a wait for the database does not count."""
    spy = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
    spying = subprocess.Popen([spy, "record", "--subprocesses", "--gil", "--nonblocking", "--rate", "200", "--format", "raw",
                               "--duration", str(seconds + 1), "--pid", str(server.pid), "--output", path + ".raw"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        drive()
    finally:
        _, err = spying.communicate(timeout=seconds + 60)
    with open(path + ".txt", "w") as out:
        out.write(summary(path + ".raw") if os.path.exists(path + ".raw") else f"py-spy recorded nothing:\n{err}")


def _short(frame):
    m = FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    where = m["file"]
    for marker in ("site-packages/", "lib/python3"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"{m['func']} ({os.path.relpath(where) if where.startswith(os.getcwd()) else where})"


def summary(raw_path, top=25):
    """Self and inclusive sample shares: where the workers' CPU goes."""
    own, total, samples = collections.Counter(), collections.Counter(), 0
    with open(raw_path, encoding="utf-8", errors="replace") as fh:   # py-spy may cut a frame mid-character
        for line in fh:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            frames = [_short(f) for f in stack.split(";") if not f.startswith("process ") and "(" in f]
            if not frames:
                continue
            samples += n
            own[frames[-1]] += n
            for f in set(frames):
                total[f] += n
    lines = [f"{samples} samples", "", "self %  | function"]
    lines += [f"{100 * n / samples:6.1f}  | {f}" for f, n in own.most_common(top)]
    lines += ["", "inclusive % | function (ours and the layers they call)"]
    ours = [(f, n) for f, n in total.most_common() if any(k in f for k in (
        "services/", "mini/", "flask_smorest", "marshmallow", "webargs", "sqlalchemy/orm", "psycopg", "sqlite3",
        "cryptography", "gunicorn/workers"))]
    lines += [f"{100 * n / samples:6.1f}      | {f}" for f, n in ours[:top]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(summary(sys.argv[1]))
