"""Reading members of an untrusted zip archive (a `.qdpx`) without being tricked.

A `.qdpx` comes from someone else's laptop. Before anything is read, every member name is checked:
absolute paths, drive letters and `..` segments refuse the whole archive, even though we never extract
to disk (a file that tries this is hostile or broken, and either way not to be trusted). While reading,
the bytes actually decompressed are counted, not the sizes the headers claim: the total is capped and
so is the compression ratio of each member, which is what stops a zip bomb.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from annotator.core.errors import UserError

DEFAULT_MAX_TOTAL_BYTES = 500 * 1024 * 1024
DEFAULT_MAX_RATIO = 200  # text and XML compress ~3-20x; 200x is only reached by padding
_RATIO_GRACE_BYTES = 1024 * 1024  # small members may compress extremely well; do not judge them
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


def check_member_name(name: str, archive: str) -> str:
    """Return the member name with `/` separators, or refuse the archive if it escapes."""
    clean = name.replace("\\", "/")
    parts = clean.split("/")
    if "\x00" in name or clean.startswith("/") or _DRIVE.match(clean) or any(part == ".." for part in parts):
        raise UserError(
            f"{archive}: refused: the archive contains the path {name!r}, which points outside "
            "the archive; it is damaged or hostile, ask the sender for a fresh export"
        )
    return clean


class SafeArchive:
    """An opened zip whose members are read with size and ratio limits across the whole archive."""

    def __init__(
        self,
        path: str | Path | BinaryIO,
        *,
        label: str | None = None,
        max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
        max_ratio: float = DEFAULT_MAX_RATIO,
    ) -> None:
        self.label = label or str(path)
        self.max_total_bytes = max_total_bytes
        self.max_ratio = max_ratio
        self.bytes_read = 0
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise UserError(f"{self.label}: not a readable .qdpx (zip) file ({exc}); check the file") from None
        self.members: dict[str, zipfile.ZipInfo] = {}
        declared = 0
        for info in self._zip.infolist():
            name = check_member_name(info.filename, self.label)
            if info.flag_bits & 0x1:
                raise UserError(f"{self.label}: member {name!r} is encrypted; export it unencrypted")
            declared += info.file_size
            if not info.is_dir():
                self.members[name] = info
        if declared > max_total_bytes:
            raise UserError(
                f"{self.label}: refused: the archive would unpack to {declared:,} bytes, more than "
                f"the limit of {max_total_bytes:,}"
            )

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def find(self, name: str) -> str | None:
        """The member called `name`, matched exactly first, then ignoring case."""
        if name in self.members:
            return name
        lowered = name.lower()
        for member in self.members:
            if member.lower() == lowered:
                return member
        return None

    def read(self, name: str) -> bytes:
        """Decompress one member, counting real bytes against the archive's limits."""
        info = self.members[name]
        compressed = max(info.compress_size, 1)
        chunks: list[bytes] = []
        got = 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    got += len(chunk)
                    self.bytes_read += len(chunk)
                    if self.bytes_read > self.max_total_bytes:
                        raise UserError(
                            f"{self.label}: refused: unpacking exceeds the limit of "
                            f"{self.max_total_bytes:,} bytes (a zip bomb or a far too large project)"
                        )
                    if got > _RATIO_GRACE_BYTES and got / compressed > self.max_ratio:
                        raise UserError(
                            f"{self.label}: refused: member {name!r} expands more than "
                            f"{self.max_ratio:g} times (a zip bomb); ask for a fresh export"
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error) as exc:
            raise UserError(f"{self.label}: member {name!r} is damaged ({exc})") from None
        return b"".join(chunks)
