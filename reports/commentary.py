"""Per-quarter commentary: a YAML file where indicator owners write commentary and actions.

Format (one file per LA and quarter, default ``<paths.commentary_dir>/<la>-<quarter>.yaml``; the folder
is ``reports/commentary`` under the config file's folder, or the working directory without one)::

    la: "856"
    quarter: 2024-25-Q3
    indicators:
      cpp_repeat_pct:
        owner: Head of Service, Child Protection
        exception: "Repeat plans (NI65) 20.0% against ..."   # written by --draft-commentary
        commentary: >-
          Free text shown under the indicator in the report.
        actions:
          - One action per line.

Indicators missing from the file, or with empty commentary, show "No commentary provided".
"""

from __future__ import annotations

from pathlib import Path

import yaml

from vocabulary import settings

DEFAULT_DIR = Path("reports/commentary")  # never inside the installed package


class CommentaryError(ValueError):
    """The commentary file is not valid; the message names the file."""


def default_path(la: str, quarter: str) -> Path:
    folder = settings.get_path("paths.commentary_dir", DEFAULT_DIR)
    return folder / f"{la}-{quarter}.yaml"  # type: ignore[operator]


def load_commentary(path: Path | None) -> dict[str, dict]:
    """Indicator id -> {owner, commentary, actions}; an absent file gives no commentary."""
    if path is None or not Path(path).exists():
        return {}
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CommentaryError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("indicators") or {}, dict):
        raise CommentaryError(f"{path}: expected a mapping with an 'indicators' mapping of indicator ids")
    out = {}
    for key, entry in (data.get("indicators") or {}).items():
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            raise CommentaryError(f"{path}: indicator {key}: expected owner, commentary and actions")
        actions = entry.get("actions") or []
        if isinstance(actions, str):
            actions = [actions]
        out[str(key)] = {
            "owner": entry.get("owner") or "",
            "commentary": entry.get("commentary") or "",
            "actions": [str(a) for a in actions],
        }
    return out


def draft_text(la: str, quarter: str, exceptions: list[tuple[str, str, str]]) -> str:
    """The YAML text of a draft: one entry per (indicator id, title, reason), commentary left empty."""
    lines = [
        f"# Commentary for the exception report: LA {la}, {quarter}.",
        "# Drafted from the detected exceptions. Owners: fill in owner, commentary and actions.",
        '# Empty commentary is shown in the report as "No commentary provided".',
        "# You may add other indicators (by id) too.",
        f'la: "{la}"',
        f"quarter: {quarter}",
        "indicators:",
    ]
    if not exceptions:
        lines[-1] = "indicators: {}"
    for indicator_id, title, reason in exceptions:
        lines += [
            f"  {indicator_id}:  # {title}",
            '    owner: ""',
            "    exception: "
            + yaml.safe_dump(reason, allow_unicode=True, width=10_000).strip().removesuffix("\n...").strip(),
            '    commentary: ""',
            "    actions: []",
        ]
    return "\n".join(lines) + "\n"


def write_draft(path: Path, la: str, quarter: str, exceptions: list[tuple[str, str, str]]) -> Path:
    """Write the draft; never overwrite an existing file (FileExistsError)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as f:  # "x": fail if it exists
        f.write(draft_text(la, quarter, exceptions))
    return path
