"""Single sign-on against a stub OpenID Connect provider started by the test on 127.0.0.1: discovery,
JWKS, a token endpoint and an RS256-signed id_token. The dashboard signs the user in with the role
mapped from the groups claim, refuses a bad signature, a wrong nonce and an unmapped group, and
local users keep signing in beside it."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_ID = "dashboard-client"
SECRET = "stub-client-secret"
ANALYSTS, BOARD, OTHER = "grp-analysts", "grp-board", "grp-other"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int(n: int) -> str:
    return _b64(n.to_bytes((n.bit_length() + 7) // 8, "big"))


class StubIssuer:
    """A minimal OpenID provider: what the dashboard's Authlib client reads, and nothing more."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.wrong_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}  # code -> claims to put in the id_token
        self.token_requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def id_token(self, claims: dict, key=None) -> str:
        header = {"alg": "RS256", "typ": "JWT", "kid": "stub-1"}
        body = {
            "iss": self.url,
            "aud": CLIENT_ID,
            "iat": int(time.time()),
            "exp": int(time.time()) + 300,
            **claims,
        }
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(body).encode())}".encode()
        signature = (key or self.key).sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input.decode()}.{_b64(signature)}"

    def _handler(self):
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, body: dict, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    return self._json(
                        {
                            "issuer": issuer.url,
                            "authorization_endpoint": f"{issuer.url}/authorize",
                            "token_endpoint": f"{issuer.url}/token",
                            "jwks_uri": f"{issuer.url}/jwks",
                            "response_types_supported": ["code"],
                            "subject_types_supported": ["public"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                        }
                    )
                if self.path == "/jwks":
                    numbers = issuer.key.public_key().public_numbers()
                    jwk = {
                        "kty": "RSA",
                        "kid": "stub-1",
                        "use": "sig",
                        "alg": "RS256",
                        "n": _int(numbers.n),
                        "e": _int(numbers.e),
                    }
                    return self._json({"keys": [jwk]})
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    form["client_id"], form["client_secret"] = (
                        base64.b64decode(auth[6:]).decode().split(":", 1)
                    )
                issuer.token_requests.append(form)
                grant = issuer.codes.pop(form.get("code", ""), None)
                if self.path != "/token" or grant is None or form.get("client_secret") != SECRET:
                    return self._json({"error": "invalid_grant"}, 400)
                token = issuer.id_token(grant["claims"], grant.get("key"))
                return self._json(
                    {"access_token": "at-1", "token_type": "Bearer", "expires_in": 300, "id_token": token}
                )

        return Handler


@pytest.fixture
def issuer():
    stub = StubIssuer()
    yield stub
    stub.server.shutdown()
    stub.server.server_close()


@pytest.fixture
def app(issuer, tmp_path, monkeypatch):
    from dashboard.app import create_app
    from dashboard.auth import add_user
    from vocabulary import settings

    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the stub speaks plain HTTP on loopback only
    monkeypatch.setenv("SAFEGUARDING_OIDC_CLIENT_SECRET", SECRET)
    monkeypatch.setenv("SAFEGUARDING_USERS_FILE", str(tmp_path / "users.json"))
    config = tmp_path / "safeguarding.toml"
    config.write_text(
        f'[oidc]\nissuer = "{issuer.url}"\nclient_id = "{CLIENT_ID}"\n'
        'client_secret_env = "SAFEGUARDING_OIDC_CLIENT_SECRET"\nrole_claim = "groups"\n'
        f'[oidc.role_map]\n"{ANALYSTS}" = "analyst"\n"{BOARD}" = "board"\n',
        encoding="utf-8",
    )
    settings.configure(config)
    add_user("localchair", "a long enough pass", "board")
    try:
        yield create_app(demo=False, secret_dir=tmp_path / "secrets")
    finally:
        settings._ACTIVE.clear()


def _start(client, issuer) -> dict:
    """Follow /login/sso to the provider's authorize URL: its query (state, nonce, redirect_uri)."""
    response = client.get("/login/sso")
    assert response.status_code == 302
    target = urlparse(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{issuer.url}/authorize"
    query = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert query["client_id"] == CLIENT_ID and query["response_type"] == "code" and "openid" in query["scope"]
    return query


def _role_seen(client) -> str | None:
    from flask import g

    return g.get("role")


def test_sign_in_maps_groups_to_roles_and_local_users_stay(app, issuer):
    server = app.server
    seen = {}

    @server.route("/whoami-probe")
    def _probe():
        from flask import g

        seen.update(user=g.user, role=g.role)
        return "ok"

    login = server.test_client().get("/login").get_data(as_text=True)
    assert 'href="/login/sso"' in login  # the sign-in page offers single sign-on

    for user, groups, role in (
        ("ana@la.gov.uk", [OTHER, ANALYSTS], "analyst"),
        ("chair@la.gov.uk", [BOARD], "board"),
    ):
        client = server.test_client()
        query = _start(client, issuer)
        issuer.codes["code-" + user] = {
            "claims": {"sub": user, "preferred_username": user, "groups": groups, "nonce": query["nonce"]}
        }
        done = client.get(f"/login/sso/callback?code=code-{user}&state={query['state']}")
        assert done.status_code == 302 and done.headers["Location"] == "/"
        assert client.get("/whoami-probe").status_code == 200 and seen == {"user": user, "role": role}
        assert client.get("/_dash-layout").status_code == 200
    assert issuer.token_requests[-1]["redirect_uri"].endswith("/login/sso/callback")

    local = server.test_client()  # a local user signs in beside single sign-on
    page = local.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"username": "localchair", "password": "a long enough pass", "csrf_token": token}
    assert local.post("/login", data=form).status_code == 302
    assert local.get("/whoami-probe").status_code == 200 and seen == {"user": "localchair", "role": "board"}


@pytest.mark.parametrize(
    "case, status",
    [
        ("unmapped group", 403),
        ("wrong nonce", 400),
        ("bad signature", 400),
        ("wrong state", 400),
        ("refused code", 400),
    ],
)
def test_a_bad_or_unmapped_sign_in_is_refused(app, issuer, case, status):
    client = app.server.test_client()
    query = _start(client, issuer)
    claims = {"sub": "x", "preferred_username": "x@la.gov.uk", "groups": [ANALYSTS], "nonce": query["nonce"]}
    grant: dict = {"claims": claims}
    state = query["state"]
    if case == "unmapped group":
        claims["groups"] = [OTHER]
    elif case == "wrong nonce":
        claims["nonce"] = "not-the-nonce"
    elif case == "bad signature":
        grant["key"] = issuer.wrong_key
    elif case == "wrong state":
        state = "forged"
    if case != "refused code":
        issuer.codes["c1"] = grant
    done = client.get(f"/login/sso/callback?code=c1&state={state}")
    assert done.status_code == status, case
    assert client.get("/_dash-layout").status_code == 401  # not signed in
