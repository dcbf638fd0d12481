"""The peers of the relay's backpressure test: one side pushes as fast as it can, the other
reads at a fixed slow rate, for a bounded time and a bounded number of bytes.

    slow_peer.py slow-download HOST PORT SIZE RATE SECONDS
        GET /bytes/SIZE from relay_server.py, read RATE bytes/s for SECONDS, close.
    slow-sink PORT RATE SECONDS
        accept one connection on [::]:PORT, read it at RATE bytes/s for SECONDS, close.
    fast-upload HOST PORT SIZE SECONDS
        connect, send up to SIZE bytes as fast as the connection takes them, stop after
        SECONDS (sends block when the path is full: that is the backpressure).

Each prints one line, "read N" or "sent N", and exits 0. Every socket call has a timeout.
"""
import socket
import sys
import time


def slow_read(sock, rate, seconds):
    """Reads at `rate` bytes/s in 10 ms steps until `seconds` pass or the peer closes."""
    step = max(1, rate // 100)
    got = 0
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            chunk = sock.recv(step)
        except socket.timeout:
            continue
        if not chunk:
            break
        got += len(chunk)
        # Sleep until this many bytes are due at `rate`.
        due = start + got / rate
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    return got


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def main():
    mode = sys.argv[1]
    if mode == "slow-download":
        host, port, size, rate, seconds = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), \
            int(sys.argv[5]), float(sys.argv[6])
        s = socket.socket(family(host), socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect((host, port))
        s.sendall(f"GET /bytes/{size} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
        s.settimeout(0.5)
        print(f"read {slow_read(s, rate, seconds)}", flush=True)
        s.close()
    elif mode == "slow-sink":
        port, rate, seconds = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
        listener = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        listener.bind(("::", port))
        listener.listen(1)
        listener.settimeout(20)
        print("ready", file=sys.stderr, flush=True)
        conn, _ = listener.accept()
        conn.settimeout(0.5)
        print(f"read {slow_read(conn, rate, seconds)}", flush=True)
        conn.close()
    elif mode == "fast-upload":
        host, port, size, seconds = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), \
            float(sys.argv[5])
        s = socket.socket(family(host), socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect((host, port))
        s.settimeout(0.2)
        block = bytes(65536)
        sent = 0
        start = time.monotonic()
        while sent < size and time.monotonic() - start < seconds:
            try:
                sent += s.send(block[: min(len(block), size - sent)])
            except socket.timeout:
                continue
            except ConnectionResetError:
                # The sink stopped reading first (its time is up): what was sent counts.
                break
        print(f"sent {sent}", flush=True)
        s.close()
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
