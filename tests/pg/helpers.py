"""Shared data for the PostgreSQL tests: texts that make code points, UTF-16 units and bytes differ."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
THREATS = REPO / "codebooks" / "threats.yaml"

# Stored text is the file's text with CR LF -> LF; offsets are code points into it.
TEXTS = {
    "cyr.txt": "Угроза терроризма 🙂 и e\u0301 экстремизма.\nВторая строка: наркотрафик.\n",
    "emoji.txt": "👍🏽 family 👨\u200d👩\u200d👧 flag 🇷🇺 illegal migration end",
    "crlf.txt": "line one\r\nline two: organised crime\r\nline three\r\n",
}


def stored(name: str) -> str:
    return TEXTS[name].replace("\r\n", "\n")


def write_texts(folder: Path) -> list[Path]:
    paths = []
    for name, content in TEXTS.items():
        path = folder / name
        path.write_bytes(content.encode("utf-8"))
        paths.append(path)
    return paths


def find(text: str, needle: str) -> tuple[int, int]:
    """Code-point offsets of `needle` in `text` (Python's str.find counts code points)."""
    start = text.index(needle)
    return start, start + len(needle)
