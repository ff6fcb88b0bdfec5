"""Dashboard login: users and roles in a local file with hashed passwords (none only in demo mode)."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Literal

from flask import Flask, redirect, request, session
from markupsafe import escape
from werkzeug.security import check_password_hash, generate_password_hash

Role = Literal["board", "analyst"]
ROLES: tuple[Role, ...] = ("board", "analyst")
USERS_ENV = "SAFEGUARDING_USERS_FILE"
DEFAULT_USERS_FILE = Path("data/secrets/users.json")
OPEN_PATHS = ("/login", "/assets/", "/_favicon", "/health")


def users_file() -> Path:
    return Path(os.environ.get(USERS_ENV, DEFAULT_USERS_FILE))


def load_users(path: Path | None = None) -> dict[str, dict[str, str]]:
    path = path or users_file()
    if not path.exists():
        return {}
    return json.loads(path.read_text())


def add_user(username: str, password: str, role: Role, path: Path | None = None) -> None:
    """Create or update a user; the password is stored only as a salted scrypt hash."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 12:
        raise ValueError("passwords must be at least 12 characters")
    path = path or users_file()
    users = load_users(path)
    users[username] = {"password_hash": generate_password_hash(password, method="scrypt"), "role": role}
    _write_users(users, path)


def _write_users(users: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(users, fh, indent=2)
    os.replace(tmp, path)


def remove_user(username: str, path: Path | None = None) -> bool:
    path = path or users_file()
    users = load_users(path)
    if users.pop(username, None) is None:
        return False
    _write_users(users, path)
    return True


def check_login(username: str, password: str, path: Path | None = None) -> Role | None:
    user = load_users(path).get(username)
    if user and check_password_hash(user["password_hash"], password):
        return user["role"]  # type: ignore[return-value]
    return None


def current_role(demo: bool) -> Role:
    """The signed-in user's role; demo mode shows the board view (suppressed)."""
    if demo:
        return "board"
    return session.get("role", "board")


LOGIN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in - Safeguarding performance</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css"></head>
<body class="bg-light"><main class="container py-5" style="max-width:28rem">
<h1 class="h3 mb-4">Sign in</h1>{error}
<form method="post" action="/login">
<div class="mb-3"><label class="form-label" for="username">Username</label>
<input class="form-control" id="username" name="username" autocomplete="username" required></div>
<div class="mb-3"><label class="form-label" for="password">Password</label>
<input class="form-control" id="password" name="password" type="password"
 autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit">Sign in</button></form></main></body></html>"""


def install_login(server: Flask, secret_file: Path) -> None:
    """Require a signed-in user for every request except the login page and static assets."""
    server.secret_key = _session_secret(secret_file)
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")

    @server.before_request
    def _require_login():
        if request.path.startswith(OPEN_PATHS) or session.get("user"):
            return None
        if request.path.startswith("/_dash"):
            return ("Sign in required", 401)
        return redirect("/login")

    @server.route("/login", methods=["GET", "POST"])
    def _login():
        error = ""
        if request.method == "POST":
            username = request.form.get("username", "")
            role = check_login(username, request.form.get("password", ""))
            if role:
                session.clear()
                session.update(user=username, role=role)
                return redirect("/")
            error = (
                '<div class="alert alert-danger" role="alert">Wrong username or password '
                f"for {escape(username)}.</div>"
            )
        return LOGIN_PAGE.format(error=error)

    @server.route("/logout")
    def _logout():
        session.clear()
        return redirect("/login")


def _session_secret(path: Path) -> bytes:
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex())
    return key
