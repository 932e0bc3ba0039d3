#!/usr/bin/env python3
"""Benchmark file server (not a JVM, so it does not share the engine's JIT and GC on 2 cores).

serve.py ROOT [--tls CERT KEY] [--rate BYTES_PER_S_PER_CONNECTION]
Serves the files under ROOT over HTTP/1.1 with keep-alive, ETag, Last-Modified, Accept-Ranges,
one Range per request and If-Range, on 127.0.0.1 and an ephemeral port; prints "PORT <n>".
Plain http sends with sendfile(2); --tls wraps the socket in TLS (the same bytes through
OpenSSL); --rate caps each connection (a cloud object store's per-connection limit).
"""
import email.utils
import http.server
import os
import re
import socket
import ssl
import sys
import time

RANGE = re.compile(r"bytes=(\d+)-(\d*)$")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    rate = 0

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.serve(False)

    def do_GET(self):
        self.serve(True)

    def serve(self, body):
        path = os.path.join(self.server.root, self.path.split("?")[0].lstrip("/"))
        try:
            f = open(path, "rb")
        except OSError:
            self.send_error(404)
            return
        with f:
            st = os.fstat(f.fileno())
            size = st.st_size
            etag = '"%x-%x"' % (st.st_mtime_ns, size)
            start, end, status = 0, size, 200
            m = RANGE.match(self.headers.get("Range", ""))
            if_range = self.headers.get("If-Range")
            if m and (if_range is None or if_range == etag):
                start = int(m.group(1))
                end = min(size, int(m.group(2)) + 1) if m.group(2) else size
                if start >= size:
                    self.send_response(416)
                    self.send_header("Content-Range", "bytes */%d" % size)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = 206
            self.send_response(status)
            self.send_header("Content-Length", str(end - start))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", email.utils.formatdate(st.st_mtime, usegmt=True))
            if status == 206:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end - 1, size))
            self.end_headers()
            if not body:
                return
            self.wfile.flush()
            sock = self.connection
            if not self.rate:
                sock.sendfile(f, start, end - start)
                return
            piece = 256 * 1024
            t0 = time.monotonic()
            sent = 0
            while start + sent < end:
                n = sock.sendfile(f, start + sent, min(piece, end - start - sent))
                if n == 0:
                    return
                sent += n
                due = t0 + sent / self.rate
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


def main():
    args = sys.argv[1:]
    root = args.pop(0)
    tls = None
    while args:
        a = args.pop(0)
        if a == "--tls":
            tls = (args.pop(0), args.pop(0))
        elif a == "--rate":
            Handler.rate = int(args.pop(0))
        else:
            sys.exit("unknown option " + a)
    srv = Server(("127.0.0.1", 0), Handler)
    srv.root = root
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*tls)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print("PORT %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
