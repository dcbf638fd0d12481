"""Kernel-side servers behind `zcstack relay` (crates/zcstack/tests/relay_kernel.rs).

    relay_server.py PORT

HTTP on [::]:PORT (IPv4 too): GET /bytes/N answers N bytes, byte i = i mod 251 (as
`zcstack serve` does, so tcp_many.py works against it); PUT or POST with a body answers the
body's length and SHA-256 as "LEN HEX". UDP on [::]:PORT answers each datagram with
b"echo:" + the datagram. Prints "ready" when both listen. Runs until killed.
"""
import hashlib
import http.server
import socket
import socketserver
import sys
import threading

PATTERN = bytes(i % 251 for i in range(251 * 1024))


class Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.1 answers curl's "Expect: 100-continue" at once (1.0 makes curl wait 1 s).
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if not self.path.startswith("/bytes/"):
            self.send_error(404)
            return
        n = int(self.path[len("/bytes/"):])
        self.send_response(200)
        self.send_header("Content-Length", str(n))
        self.send_header("Connection", "close")
        self.end_headers()
        sent = 0
        while sent < n:
            # Whole periods keep byte i = i mod 251 across chunks.
            chunk = PATTERN[: min(len(PATTERN), n - sent)]
            self.wfile.write(chunk)
            sent += len(chunk)

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", "0"))
        digest = hashlib.sha256()
        left = length
        while left > 0:
            data = self.rfile.read(min(left, 65536))
            if not data:
                break
            digest.update(data)
            left -= len(data)
        body = f"{length - left} {digest.hexdigest()}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True
    request_queue_size = 1024

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


def udp_echo(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(b"echo:" + data, peer)


def main():
    port = int(sys.argv[1])
    server = Server(("::", port), Handler)
    threading.Thread(target=udp_echo, args=(port,), daemon=True).start()
    print("ready", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
