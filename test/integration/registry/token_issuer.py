#!/usr/bin/env python3
"""A registry token server for tests (the Docker token flow that distribution's
auth.token verifies): checks Basic credentials (GET) or an OAuth2 password grant
(POST), grants the scopes asked for, and returns a JWT signed RS256 with the test's
key, its certificate in x5c (the registry's rootcertbundle). Each request is logged
as one JSON line, so that a test can see which scopes a client asked for. Binds
127.0.0.1 on a free port and prints "listening on PORT"."""
import argparse
import base64
import datetime
import http.server
import json
import subprocess
import sys
import time
import urllib.parse
import uuid


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Issuer:
    def __init__(self, args):
        self.args = args
        der = subprocess.run(["openssl", "x509", "-in", args.cert, "-outform", "DER"],
                             check=True, capture_output=True).stdout
        self.x5c = base64.b64encode(der).decode()

    def token(self, user, scopes):
        now = int(time.time())
        access = []
        for scope in scopes:
            # repository:NAME:ACTIONS; NAME has no ':' (a path), ACTIONS are comma-separated.
            kind, _, rest = scope.partition(":")
            name, _, actions = rest.rpartition(":")
            access.append({"type": kind, "name": name, "actions": [a for a in actions.split(",") if a]})
        header = {"typ": "JWT", "alg": "RS256", "x5c": [self.x5c]}
        claims = {"iss": self.args.issuer, "sub": user, "aud": self.args.service, "exp": now + 300,
                  "nbf": now - 10, "iat": now, "jti": uuid.uuid4().hex, "access": access}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.args.key],
                                   input=signing_input.encode(), check=True, capture_output=True).stdout
        return signing_input + "." + b64url(signature)

    def log(self, entry):
        with open(self.args.log, "a") as log:
            log.write(json.dumps(entry) + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        user, password = None, None
        authorization = self.headers.get("Authorization", "")
        if authorization.startswith("Basic "):
            user, _, password = base64.b64decode(authorization[6:]).decode().partition(":")
        self.answer("GET", user, password, query.get("scope", []))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        if form.get("grant_type") != ["password"]:
            self.reply(400, {"error": "unsupported_grant_type"})
            return
        scopes = [s for field in form.get("scope", []) for s in field.split(" ") if s]
        self.answer("POST", form.get("username", [None])[0], form.get("password", [None])[0], scopes)

    def answer(self, method, user, password, scopes):
        issuer = self.server.issuer
        granted = user == issuer.args.user and password == issuer.args.password
        issuer.log({"method": method, "user": user, "scopes": scopes, "granted": granted})
        if not granted:
            self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad or missing credentials"}]},
                       {"WWW-Authenticate": 'Basic realm="tenon-test-issuer"'})
            return
        token = issuer.token(user, scopes)
        issued = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.reply(200, {"token": token, "access_token": token, "expires_in": 300, "issued_at": issued})

    def reply(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    for flag in ("key", "cert", "user", "password", "service", "issuer", "log"):
        parser.add_argument("--" + flag, required=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.issuer = Issuer(parser.parse_args())
    print("listening on", server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
