"""A small, real OpenID Connect provider for the tests, on loopback in a thread.

It serves discovery, JWKS, authorize, token and userinfo over HTTP, signs ID tokens with its own
RSA key (RS256), requires PKCE (S256) and hands codes out once. `user` holds the claims of the
person who "signs in" next; `tamper_nonce` makes it return another nonce than it was given.
Nothing here is imported by the portal.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "ketenwacht-test-client"
CLIENT_SECRET = "s3cret-of-the-test-client"  # noqa: S105 - a test fixture


def _free_port(first: int = 8150, last: int = 8199) -> int:
    for port in range(first, last + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8150-8199")


class Provider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.user: dict = {}
        self.tamper_nonce = False
        self.foreign_key = None  # a key of someone else to sign the ID token with
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.authorize_requests: list[dict] = []
        self.token_requests: list[dict] = []
        self.refused: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- documents ---------------------------------------------------------------------------
    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    # -- endpoints -----------------------------------------------------------------------------
    def authorize(self, params: dict) -> tuple[int, dict, bytes]:
        self.authorize_requests.append(params)
        checks = {
            "client_id": params.get("client_id") == CLIENT_ID,
            "response_type": params.get("response_type") == "code",
            "scope": "openid" in params.get("scope", "").split(),
            "pkce": bool(params.get("code_challenge"))
            and params.get("code_challenge_method") == "S256",
            "redirect_uri": params.get("redirect_uri", "").startswith("http://testserver/"),
        }
        failed = [name for name, ok in checks.items() if not ok]
        if failed:
            self.refused.append("authorize:" + ",".join(failed))
            return 400, {"Content-Type": "text/plain"}, ("refused: " + ",".join(failed)).encode()
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "claims": dict(self.user),
            "nonce": params.get("nonce"),
            "challenge": params["code_challenge"],
            "redirect_uri": params["redirect_uri"],
        }
        query = urlencode({"code": code, "state": params.get("state", "")})
        return 302, {"Location": f"{params['redirect_uri']}?{query}"}, b""

    def token(self, form: dict, authorization: str) -> tuple[int, dict]:
        self.token_requests.append(form)
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if client_id != CLIENT_ID or secret != CLIENT_SECRET:
            self.refused.append("token:client")
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("grant_type") != "authorization_code":
            self.refused.append("token:code")
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            self.refused.append("token:redirect_uri")
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if not verifier or challenge != grant["challenge"]:
            self.refused.append("token:pkce")
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        claims = grant["claims"]
        now = int(time.time())
        nonce = "not-the-nonce-you-sent" if self.tamper_nonce else grant["nonce"]
        id_token = jwt.encode(
            {
                "iss": self.issuer,
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "nonce": nonce,
                **claims,
            },
            self.foreign_key or self.key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )
        access = secrets.token_urlsafe(24)
        self.tokens[access] = claims
        return 200, {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def userinfo(self, authorization: str) -> tuple[int, dict]:
        claims = self.tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return 401, {"error": "invalid_token"}
        return 200, claims


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _send(self, status: int, body, headers: dict | None = None) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            headers = headers or {"Content-Type": "application/json"}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            auth = self.headers.get("Authorization", "")
            if url.path == "/.well-known/openid-configuration":
                self._send(200, provider.discovery())
            elif url.path == "/jwks":
                self._send(200, provider.jwks())
            elif url.path == "/authorize":
                status, headers, body = provider.authorize(params)
                self._send(status, body, headers)
            elif url.path == "/userinfo":
                self._send(*provider.userinfo(auth))
            else:
                self._send(404, {"error": "not_found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                self._send(*provider.token(form, self.headers.get("Authorization", "")))
            elif urlsplit(self.path).path == "/userinfo":
                self._send(*provider.userinfo(self.headers.get("Authorization", "")))
            else:
                self._send(404, {"error": "not_found"})

    return Handler
