"""Standard-library logging for the CLI and the server: one structured line per event (loads, sign-ins).

A line reads ``2026-12-04T18:00:00Z INFO safeguarding.load event=load file="a b.xml" status=loaded``:
key=value pairs, values with spaces or quotes in double quotes, so a SIEM or ``grep`` can split it.
Level and destination come from safeguarding.toml ([logging] level, file) or
$SAFEGUARDING_LOG_LEVEL / $SAFEGUARDING_LOG_FILE. With a log file the default level is INFO; without one,
lines go to standard error at WARNING, so a command's own one-line error stays the only line there.
"""

from __future__ import annotations

import logging
import sys
import time

from vocabulary import settings

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_HANDLER_NAME = "safeguarding"


class _UtcFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", self.converter(record.created))


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _quote(value: object) -> str:
    text = str(value)
    if text and not any(c in text for c in ' "=\\\n\r\t'):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def event(logger: logging.Logger, name: str, level: int = logging.INFO, **fields: object) -> None:
    """Log one structured line: ``event=<name>`` then the fields in the order given."""
    if logger.isEnabledFor(level):
        parts = [f"event={_quote(name)}"] + [f"{k}={_quote(v)}" for k, v in fields.items()]
        logger.log(level, " ".join(parts))


def configure_logging() -> logging.Handler:
    """Attach one handler to the ``safeguarding`` logger tree (idempotent): level and file from settings."""
    path = settings.get_path("logging.file")
    level = (settings.get("logging.level") or ("INFO" if path is not None else "WARNING")).upper()
    if level not in LEVELS:
        raise settings.ConfigError(f"logging.level must be one of {', '.join(LEVELS)}, not {level!r}")
    root = logging.getLogger("safeguarding")
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    else:
        handler = _StderrHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(_UtcFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    return handler
