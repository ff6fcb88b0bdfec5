"""Optional single sign-on with OpenID Connect (Entra ID, Okta, Keycloak, ...) through Authlib.

Turned on by an ``[oidc]`` section in safeguarding.toml; local users in the users file keep working
beside it. The provider is found by discovery (``<issuer>/.well-known/openid-configuration``); Authlib
checks the state, exchanges the code and verifies the id_token (signature against the provider's
JWKS, issuer, audience, expiry, nonce). The role comes from a claim (Entra ID: ``groups`` or
``roles``) mapped in ``[oidc.role_map]``; a user with no mapped value is refused. The client secret is
read from the environment variable the section names, never from the file::

    [oidc]
    issuer = "https://login.microsoftonline.com/<tenant-id>/v2.0"
    client_id = "<application (client) id>"
    client_secret_env = "SAFEGUARDING_OIDC_CLIENT_SECRET"
    username_claim = "preferred_username"
    role_claim = "groups"
    [oidc.role_map]
    "<object id of the analysts' group>" = "analyst"
    "<object id of the board's group>" = "board"

The role is fixed at sign-in (kept in the signed session cookie) and the session has the same idle and
absolute limits as a local sign-in; a group change applies at the next sign-in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import Flask, current_app, redirect, request, session, url_for

from dashboard.session_store import SessionStore
from vocabulary import settings

ROLE_ORDER = ("analyst", "board")  # a user in both groups gets the wider role
REQUIRED = ("issuer", "client_id", "client_secret_env")
KNOWN = {*REQUIRED, "username_claim", "role_claim", "role_map", "scopes", "label"}


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    username_claim: str
    role_claim: str
    role_map: dict[str, str]
    scopes: str
    label: str


def oidc_config() -> OidcConfig | None:
    """The [oidc] section checked (naming the file and key), or None when single sign-on is off."""
    section = settings.section("oidc")
    if not section:
        return None
    where = settings.current().path
    unknown = sorted(set(section) - KNOWN)
    if unknown:
        raise settings.ConfigError(f"{where}: oidc.{unknown[0]}: unknown setting")
    missing = [k for k in REQUIRED if not section.get(k)]
    if missing:
        raise settings.ConfigError(f"{where}: oidc.{missing[0]}: required for single sign-on")
    secret = os.environ.get(str(section["client_secret_env"]), "")
    if not secret:
        raise settings.ConfigError(
            f"{where}: oidc: ${section['client_secret_env']} (the client secret) is not set"
        )
    role_map = section.get("role_map") or {}
    bad = {k: v for k, v in role_map.items() if v not in ROLE_ORDER}
    if not role_map or bad:
        raise settings.ConfigError(f"{where}: oidc.role_map: map claim values to board or analyst, not {bad}")
    return OidcConfig(
        issuer=str(section["issuer"]).rstrip("/"),
        client_id=str(section["client_id"]),
        client_secret=secret,
        username_claim=str(section.get("username_claim", "preferred_username")),
        role_claim=str(section.get("role_claim", "groups")),
        role_map={str(k): str(v) for k, v in role_map.items()},
        scopes=str(section.get("scopes", "openid profile email")),
        label=str(section.get("label", "Sign in with your organisation account")),
    )


def role_from_claims(claims: dict, config: OidcConfig) -> str | None:
    """The widest mapped role among the claim's values (a list or one string), or None."""
    values = claims.get(config.role_claim) or []
    if isinstance(values, str):
        values = [values]
    roles = {config.role_map[str(v)] for v in values if str(v) in config.role_map}
    return next((r for r in ROLE_ORDER if r in roles), None)


def install_oidc(server: Flask, store: SessionStore, idle: float, lifetime: float, page) -> OidcConfig | None:
    """Add /login/sso and its callback when [oidc] is configured; `page(error, status)` renders the
    sign-in page with an error."""
    config = oidc_config()
    if config is None:
        return None
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth(server)
    client = oauth.register(
        "sso",
        client_id=config.client_id,
        client_secret=config.client_secret,
        server_metadata_url=f"{config.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": config.scopes},
    )

    @server.route("/login/sso")
    def _sso_start():
        return client.authorize_redirect(url_for("_sso_callback", _external=True))

    @server.route("/login/sso/callback")
    def _sso_callback():
        audit = current_app.extensions["safeguarding_audit"]
        address = request.remote_addr or "?"
        try:
            token = client.authorize_access_token()
        except Exception as exc:  # noqa: BLE001 - bad state, refused code, any failed id_token check
            # (Authlib raises its own, joserfc's and requests' errors): the sign-in is refused and the
            # reason is kept in the audit log.
            audit.write("login_failed", user="(sso)", address=address, reason=str(exc)[:200])
            return page("Single sign-on did not complete. Please try again.", 400)
        claims = dict(token.get("userinfo") or {})
        username = str(claims.get(config.username_claim) or claims.get("sub") or "")[:100]
        role = role_from_claims(claims, config)
        if not username or role is None:
            audit.write("login_failed", user=username or "(sso)", address=address, reason="no mapped role")
            return page(
                f"{username or 'This account'} has no role in this dashboard. Ask its administrator.", 403
            )
        session.clear()  # a fresh cookie: new session id and new CSRF secret
        session["sid"] = store.create(username, idle, lifetime)
        session["sso_role"] = role
        audit.write("login", user=username, role=role, address=address, method="oidc")
        return redirect("/")

    return config
