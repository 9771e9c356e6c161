"""Bilingual text: every student-facing message is Japanese first, then English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A message in Japanese and English."""

    ja: str
    en: str

    def __str__(self) -> str:
        return f"{self.ja} / {self.en}"

    def lines(self) -> list[str]:
        """The message as two lines, Japanese first."""
        return [self.ja, self.en]

    def format(self, **values: object) -> "Text":
        """Fill ``{name}`` placeholders in both languages."""
        return Text(self.ja.format(**values), self.en.format(**values))

    def to_dict(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> "Text":
        return cls(ja=data["ja"], en=data["en"])
