"""The one error type content and configuration problems are reported with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located by file and line (line 1 when no better is known)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """A content pack is invalid. ``problems`` lists every fault found, each with
    file and line; ``str()`` gives one ``file:line: message`` line per fault."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
