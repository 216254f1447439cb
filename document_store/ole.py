"""Just enough of the OLE2 compound file format to list the stream names.

Word writes old binary ``.doc`` files as OLE2 containers (a ``WordDocument``
stream), and Office wraps a password-protected ``.docx`` in one too
(``EncryptionInfo`` + ``EncryptedPackage`` streams). Naming the streams is all
``detect`` needs to tell the two apart; the streams themselves are never read.
See [MS-CFB] for the layout.
"""

from __future__ import annotations

import struct

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_MAX_REGULAR_SECTOR = 0xFFFFFFFA
_HEADER_DIFAT_ENTRIES = 109
_DIR_ENTRY_SIZE = 128
_STORAGE, _STREAM, _ROOT = 1, 2, 5


class OleError(ValueError):
    """The compound file is malformed."""


def stream_names(data: bytes) -> set[str]:
    """Names of all storages and streams in an OLE2 compound file."""
    if not data.startswith(OLE2_MAGIC) or len(data) < 512:
        raise OleError("not an OLE2 compound file")
    sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise OleError(f"bad sector shift {sector_shift}")
    sector_size = 1 << sector_shift
    fat = _read_fat(data, sector_size)
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    names: set[str] = set()
    for sector in _chain(fat, first_dir):
        block = _sector(data, sector, sector_size)
        for offset in range(0, sector_size, _DIR_ENTRY_SIZE):
            name = _entry_name(block, offset)
            if name is not None:
                names.add(name)
    return names


def _read_fat(data: bytes, sector_size: int) -> list[int]:
    fat_sector_count = struct.unpack_from("<I", data, 0x2C)[0]
    first_difat, difat_count = struct.unpack_from("<II", data, 0x44)
    per_sector = sector_size // 4
    fat_sectors = list(struct.unpack_from(f"<{_HEADER_DIFAT_ENTRIES}I", data, 0x4C))
    sector = first_difat
    for _ in range(difat_count):
        if sector > _MAX_REGULAR_SECTOR:
            break
        entries = struct.unpack(f"<{per_sector}I", _sector(data, sector, sector_size))
        fat_sectors.extend(entries[:-1])
        sector = entries[-1]
    fat: list[int] = []
    for fat_sector in fat_sectors[:fat_sector_count]:
        if fat_sector > _MAX_REGULAR_SECTOR:
            raise OleError("FAT sector list is inconsistent")
        fat.extend(struct.unpack(f"<{per_sector}I", _sector(data, fat_sector, sector_size)))
    return fat


def _chain(fat: list[int], start: int) -> list[int]:
    chain: list[int] = []
    sector = start
    while sector != _END_OF_CHAIN:
        if sector > _MAX_REGULAR_SECTOR or sector >= len(fat) or len(chain) > len(fat):
            raise OleError("broken sector chain")
        chain.append(sector)
        sector = fat[sector]
    return chain


def _sector(data: bytes, number: int, sector_size: int) -> bytes:
    start = (number + 1) * sector_size
    block = data[start : start + sector_size]
    if len(block) != sector_size:
        raise OleError(f"sector {number} lies beyond the end of the file")
    return block


def _entry_name(block: bytes, offset: int) -> str | None:
    name_length = struct.unpack_from("<H", block, offset + 0x40)[0]
    entry_type = block[offset + 0x42]
    if entry_type not in (_STORAGE, _STREAM, _ROOT) or not 2 <= name_length <= 64:
        return None
    raw = block[offset : offset + name_length - 2]
    return raw.decode("utf-16-le", errors="replace")
