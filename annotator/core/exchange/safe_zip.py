"""Reading members of an untrusted zip archive (a `.qdpx`, a `.docx`) without being tricked.

A `.qdpx` or `.docx` comes from someone else's laptop. Before anything is read, every member name is checked:
absolute paths, drive letters and `..` segments refuse the whole archive, even though we never extract
to disk (a file that tries this is hostile or broken, and either way not to be trusted). While reading,
the bytes actually decompressed are counted, not the sizes the headers claim: the total is capped and
so is the compression ratio of each member, which is what stops a zip bomb. The sizes the headers claim
are checked against the same limits before anything is decompressed: `zipfile` never yields more than a
member's claimed size (a lying header ends in a CRC error), so an honest bomb is refused at once and a
lying one cannot grow past its claim; other readers of the same file (python-docx) are bounded too.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
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
        kind: str = ".qdpx",
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
            raise UserError(f"{self.label}: not a readable {kind} (zip) file ({exc}); check the file") from None
        try:
            self.members = self._check_headers()
        except BaseException:
            self._zip.close()
            raise

    def _check_headers(self) -> dict[str, zipfile.ZipInfo]:
        """Refuse hostile names, encryption and claimed sizes beyond the limits before reading anything."""
        members: dict[str, zipfile.ZipInfo] = {}
        declared = 0
        for info in self._zip.infolist():
            name = check_member_name(info.filename, self.label)
            if info.flag_bits & 0x1:
                raise UserError(f"{self.label}: member {name!r} is encrypted; export it unencrypted")
            declared += info.file_size
            if info.file_size > _RATIO_GRACE_BYTES and info.file_size / max(info.compress_size, 1) > self.max_ratio:
                raise UserError(
                    f"{self.label}: refused: member {name!r} expands more than {self.max_ratio:g} times "
                    f"({info.compress_size:,} to {info.file_size:,} bytes; a zip bomb); ask for a fresh copy"
                )
            if not info.is_dir():
                members[name] = info
        if declared > self.max_total_bytes:
            raise UserError(
                f"{self.label}: refused: the archive would unpack to {declared:,} bytes, more than "
                f"the limit of {self.max_total_bytes:,}"
            )
        return members

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

    def verify(self) -> None:
        """Decompress every member once, keeping nothing, so that a reader without limits can follow.

        `zipfile.ZipFile.read` inflates as much as the compressed bytes give in one step before it cuts
        to the claimed size, so a member whose header lies costs its real size in memory; read here in
        small pieces, the lie ends in a CRC error and the real bytes count against the limits.
        """
        for name in self.members:
            for _ in self._chunks(name):
                pass

    def read(self, name: str) -> bytes:
        """Decompress one member, counting real bytes against the archive's limits."""
        return b"".join(self._chunks(name))

    def _chunks(self, name: str) -> Iterator[bytes]:
        info = self.members[name]
        compressed = max(info.compress_size, 1)
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
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error) as exc:
            raise UserError(f"{self.label}: member {name!r} is damaged ({exc})") from None
