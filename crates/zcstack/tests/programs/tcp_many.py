"""Many concurrent TCP connections to `zcstack serve --http` (kernel side of the test).

    tcp_many.py HOST PORT COUNT SIZE

Opens COUNT connections and holds them all open, then sends `GET /bytes/SIZE` on every
one, then reads every response and checks its status and body (SIZE bytes, byte i = i mod
251). Every step is bounded by a 20 s deadline. Prints one summary line; exits 1 on any
failure.
"""
import resource
import socket
import sys
import time


def main():
    host, port, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = count + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(want, soft), max(want, hard)))
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    deadline = time.monotonic() + 20
    started = time.monotonic()
    socks = []
    for _ in range(count):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(max(0.1, deadline - time.monotonic()))
        s.connect((host, port))
        socks.append(s)
    connected = time.monotonic()
    request = f"GET /bytes/{size} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode()
    for s in socks:
        s.sendall(request)
    body = bytes(i % 251 for i in range(size))
    bad = 0
    for s in socks:
        s.settimeout(max(0.1, deadline - time.monotonic()))
        data = bytearray()
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data.extend(chunk)
        head, _, got = bytes(data).partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200 ") or got != body:
            bad += 1
        s.close()
    done = time.monotonic()
    print(f"{count} connections open at once in {connected - started:.2f} s; "
          f"{count - bad} of {count} answered correctly; total {done - started:.2f} s", flush=True)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
