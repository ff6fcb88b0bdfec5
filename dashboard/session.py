"""The signed-in user's role for page callbacks, and whether the app was built in demo mode."""

from __future__ import annotations

from dashboard import auth

_MODE = {"demo": False}


def set_demo(demo: bool) -> None:
    """Called once by `create_app`: demo mode shows the board view to everyone, with no sign-in."""
    _MODE["demo"] = demo


def is_demo() -> bool:
    return _MODE["demo"]


def session_role() -> str:
    return auth.current_role(_MODE["demo"])
