"""A 2G link on loopback: a TCP proxy whose two directions each carry `kbit` per second (shared by every connection,
as one radio link is) and add half the round trip to every chunk. Everything the browser fetches goes through it,
the service worker's own fetches included (Chromium's CDP network emulation reaches only the page's requests)."""
import queue
import socket
import threading
import time


class Direction:
    """One way of the link: a chunk leaves when the link is free and arrives half a round trip later."""

    def __init__(self, kbit, one_way_s):
        self.bytes_per_s, self.one_way_s, self.free_at, self.lock = kbit * 1000 / 8, one_way_s, 0.0, threading.Lock()

    def arrival(self, size):
        with self.lock:
            start = max(time.monotonic(), self.free_at)
            self.free_at = start + size / self.bytes_per_s
            return self.free_at + self.one_way_s


def pump(src, dst, way):
    """Read from src as it comes; a second thread delivers each chunk to dst when the link has carried it."""
    chunks = queue.Queue()

    def deliver():
        try:
            while (item := chunks.get()) is not None:
                delay = item[0] - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                dst.sendall(item[1])
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    threading.Thread(target=deliver, daemon=True).start()
    try:
        while chunk := src.recv(4096):
            chunks.put((way.arrival(len(chunk)), chunk))
    except OSError:
        pass
    chunks.put(None)


def start(target_port, kbit=250, rtt_ms=300):
    """Listen on a free loopback port; each connection is carried to target_port over the emulated link."""
    down, up = Direction(kbit, rtt_ms / 2000), Direction(kbit, rtt_ms / 2000)
    listener = socket.create_server(("127.0.0.1", 0))

    def carry(client):
        time.sleep(rtt_ms / 1000)   # the TCP handshake's round trip
        server = socket.create_connection(("127.0.0.1", target_port))
        for s in (client, server):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=pump, args=(client, server, up), daemon=True).start()
        pump(server, client, down)

    def accept():
        while True:
            threading.Thread(target=carry, args=(listener.accept()[0],), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]
