"""The partnership of several LAs: its name and member LAs, declared in partnership.yaml and validated.

The file is found like the LA's other configuration: the setting ``paths.partnership`` (its
environment variable ``SAFEGUARDING_PARTNERSHIP`` wins over safeguarding.toml), else
``partnership.yaml`` in ``paths.config_dir``, else the shipped ``indicators/partnership.yaml``. Every
indicator gets a partnership value that pools the member LAs (sum of numerators over sum of
denominators; medians over the pooled rows), under the area code ``partnership``, accepted wherever an
LA code is. A bad file raises PartnershipConfigError naming the file and the entry.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from vocabulary import settings
from vocabulary.settings import la_config_file

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "indicators" / "partnership.yaml"
PARTNERSHIP = "partnership"  # the area code of the pooled member LAs


class PartnershipConfigError(ValueError):
    """The partnership file is invalid; the message names the file and the entry."""


class MemberLA(BaseModel):
    """One member LA: its 3-digit DfE number and name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    la_code: str = Field(pattern=r"^[0-9]{3}$")
    name: str = Field(min_length=1)

    @field_validator("la_code", mode="before")
    @classmethod
    def _as_text(cls, v: object) -> object:
        return f"{v:03d}" if isinstance(v, int) and not isinstance(v, bool) else v


class Partnership(BaseModel):
    """The partnership: a name and two or more member LAs."""

    model_config = ConfigDict(frozen=True)

    name: str
    members: tuple[MemberLA, ...]
    source: str = "<memory>"

    @property
    def la_codes(self) -> tuple[str, ...]:
        return tuple(m.la_code for m in self.members)

    def name_of(self, la_code: str) -> str:
        if la_code == PARTNERSHIP:
            return self.name
        return next((m.name for m in self.members if m.la_code == la_code), la_code)


def parse_partnership(data: object, source: str = "<memory>") -> Partnership:
    """Validate loaded YAML into a Partnership; PartnershipConfigError names the file and the entry."""
    if not isinstance(data, dict):
        raise PartnershipConfigError(f"{source}: expected a mapping with name and members")
    unknown = sorted(set(data) - {"name", "members"})
    if unknown:
        raise PartnershipConfigError(f"{source}: unknown key(s) {', '.join(unknown)}; expected name, members")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PartnershipConfigError(f"{source}: name: the partnership needs a name")
    entries = data.get("members")
    if not isinstance(entries, list) or len(entries) < 2:
        raise PartnershipConfigError(f"{source}: members: list two or more member LAs (la_code, name)")
    members: list[MemberLA] = []
    for n, entry in enumerate(entries, start=1):
        label = f"member {n}" + (f" ({entry.get('la_code')})" if isinstance(entry, dict) else "")
        try:
            member = MemberLA.model_validate(entry)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors()
            )
            raise PartnershipConfigError(f"{source}: {label}: {problems}") from None
        if member.la_code in {m.la_code for m in members}:
            raise PartnershipConfigError(f"{source}: {label}: LA {member.la_code} is listed twice")
        members.append(member)
    return Partnership(name=name.strip(), members=tuple(members), source=source)


def partnership_path() -> Path:
    """paths.partnership if set (its environment variable first), else the config directory's
    partnership.yaml, else the shipped indicators/partnership.yaml."""
    return Path(settings.get("paths.partnership") or la_config_file(DEFAULT_PATH.name, DEFAULT_PATH))


def load_partnership(path: str | Path | None = None) -> Partnership:
    """Read and validate a partnership file (default: `partnership_path()`)."""
    p = Path(path or partnership_path())
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PartnershipConfigError(f"{p}: the partnership file does not exist") from None
    except yaml.YAMLError as exc:
        raise PartnershipConfigError(f"{p}: not valid YAML: {exc}") from None
    return parse_partnership(data, str(p))


@cache
def _cached(path: str) -> Partnership:
    return load_partnership(path)


def partnership() -> Partnership:
    """The partnership in use (read once per file path)."""
    return _cached(str(partnership_path()))
