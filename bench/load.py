"""The load driver: client threads with keep-alive connections over loopback, timing every request."""
import http.client
import json
import queue
import random
import secrets
import statistics
import threading
import time
import uuid

from services.people.counter_auth import sign


class Client:
    """One keep-alive connection, as one counter terminal or one phone."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method, path, body=None, headers=None):
        raw = b"" if body is None else json.dumps(body).encode()
        h = {"Content-Type": "application/json", **(headers or {})}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=raw or None, headers=h)
                resp = self.conn.getresponse()
                data = resp.read()
                return resp.status, (json.loads(data) if data else None)
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                if attempt == 2:
                    raise

    def signed(self, inst, secret, method, path, body=None):
        raw = b"" if body is None else json.dumps(body).encode()
        ts, nonce = str(int(time.time())), secrets.token_hex(12)
        headers = {"X-Institution-Id": inst, "X-Timestamp": ts, "X-Nonce": nonce,
                   "X-Signature": sign(secret, method, path, ts, nonce, raw)}
        return self.call(method, path, body, headers)


def run(port, clients, seconds, step):
    """Run `step(client, timings)` in `clients` threads for `seconds`; step appends (label, ms, ok) to timings."""
    stop = time.monotonic() + seconds
    results, lock = [], threading.Lock()

    def worker():
        c, mine = Client(port), []
        while time.monotonic() < stop:
            step(c, mine)
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.monotonic() - started


def timed(timings, label, fn):
    t0 = time.perf_counter()
    status, body = fn()
    timings.append((label, (time.perf_counter() - t0) * 1000, status < 400, status, body))
    return status, body


def summary(results, elapsed, label):
    rows = [r for r in results if r[0] == label]
    ms = sorted(r[1] for r in rows)
    if not ms:
        return {"requests": 0}
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else [ms[0]] * 99
    return {"requests": len(ms), "errors": sum(1 for r in rows if not r[2]), "rps": len(ms) / elapsed,
            "p50": q[49], "p99": q[98]}


def prepare(port, clients, count, make):
    """Make `count` inputs (vouchers or tickets) with `clients` threads, untimed; returns them in a queue."""
    out, lock = queue.SimpleQueue(), threading.Lock()
    left = [count]

    def worker():
        c = Client(port)
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            item = make(c)
            if item is not None:
                out.put(item)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def voucher_maker(tokens):
    def make(c):
        status, v = c.call("POST", "/api/v1/vouchers", headers={"Authorization": "Bearer " + random.choice(tokens)})
        return v["payload"] if status == 201 else None
    return make


def ticket_maker(tokens, inst, secret):
    vouchers = voucher_maker(tokens)

    def make(c):
        payload = vouchers(c)
        status, scan = c.signed(inst, secret, "POST", "/api/v1/counter/scan", {"voucher": payload})
        return scan["ticket"] if status == 200 else None
    return make


def bill(ticket, amount):
    return {"ticket": ticket, "order_no": uuid.uuid4().hex,
            "items": [{"code": "XA0101", "quantity": 1, "unit_price_fen": amount}]}


def scan_settle_step(vouchers, inst, secret, amount=300):
    """Scan a prepared e-voucher and settle one bill: the counter's whole work for one patient."""
    def step(c, timings):
        try:
            payload = vouchers.get_nowait()
        except queue.Empty:
            time.sleep(0.01)
            return
        t0 = time.perf_counter()
        status, scan = timed(timings, "scan", lambda: c.signed(inst, secret, "POST", "/api/v1/counter/scan",
                                                                {"voucher": payload}))
        if status != 200:
            return
        timed(timings, "settle", lambda: c.signed(inst, secret, "POST", "/api/v1/counter/settlements",
                                                  bill(scan["ticket"], amount)))
        timings.append(("scan+settle", (time.perf_counter() - t0) * 1000, timings[-1][2], timings[-1][3], None))
    return step


def settle_step(tickets, inst, secret, amount=300):
    """Settle one bill on a prepared ticket: the settle request alone."""
    def step(c, timings):
        try:
            ticket = tickets.get_nowait()
        except queue.Empty:
            time.sleep(0.01)
            return
        timed(timings, "settle", lambda: c.signed(inst, secret, "POST", "/api/v1/counter/settlements",
                                                  bill(ticket, amount)))
    return step
