#!/usr/bin/env python3
"""Serves one file at one path (a layer's foreign URL, in tests) and logs every
request's method, path and headers as one JSON line, so that a test can check
what a client sent (no Authorization header, for one). Binds 127.0.0.1 on a free
port and prints "listening on PORT"."""
import argparse
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.serve(send_body=True)

    def do_HEAD(self):
        self.serve(send_body=False)

    def serve(self, send_body):
        options = self.server.options
        with open(options.log, "a") as log:
            log.write(json.dumps({"method": self.command, "path": self.path, "headers": dict(self.headers)}) + "\n")
        if self.path != options.path:
            self.send_error(404)
            return
        with open(options.file, "rb") as f:
            data = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def log_message(self, format, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    for flag in ("file", "path", "log"):
        parser.add_argument("--" + flag, required=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.options = parser.parse_args()
    print("listening on", server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
