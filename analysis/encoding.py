"""File bytes to text: which encoding a news file is in, and what was repaired to read it.

UTF-8 (with or without BOM) and UTF-16 with a BOM; bytes that are mostly UTF-8 with a few bad
sequences are read with those replaced (and the lines named); otherwise Windows-1252 when it reads
as plausible text (the usual legacy encoding of Western news), else charset-normalizer's guess.
NUL bytes or mostly control characters mark a binary file (``formats.Skip``).
"""

from __future__ import annotations

from analysis.formats import Skip

__all__ = ["decode_bytes"]


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes to text with LF line ends and no BOM; raise Skip for binary data.

    Returns the text and what was changed to read it (invalid UTF-8 bytes replaced), if anything.
    """
    if not data.strip():
        raise Skip("empty file")
    replaced: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        text, replaced = _utf8_replacing(data[3:])  # the BOM says UTF-8: bad bytes are damage
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _strict_decode(data, "utf-16")
    elif b"\x00" in data:
        raise Skip("binary file (contains NUL bytes)")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, replaced = _utf8_replacing(data)
            if not _mostly_utf8(text, data):
                text, replaced = _legacy_decode(data), []
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:100_000]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\n\f")
    if "\x00" in sample or controls > len(sample) / 100:
        raise Skip("binary file (control characters)")
    if not text.strip():
        raise Skip("empty file")
    return text, replaced


def _utf8_replacing(data: bytes) -> tuple[str, list[str]]:
    """Decode UTF-8 with every invalid byte sequence replaced by U+FFFD; say on which lines."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    # CR is never part of a UTF-8 sequence: count lines as the parsers will, after CRLF -> LF
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    bad, count = [], 0
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
            count += len(line.decode("utf-8", "replace")) - len(line.decode("utf-8", "ignore"))
    where = ", ".join(map(str, bad[:10])) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
    sequences = "sequence" if count == 1 else "sequences"
    note = f"{count} invalid UTF-8 byte {sequences} replaced with U+FFFD (line{'s' if len(bad) != 1 else ''} {where})"
    return data.decode("utf-8", "replace"), [note]


def _mostly_utf8(text: str, data: bytes) -> bool:
    """Whether bytes that are not valid UTF-8 still read as UTF-8 with a few bad sequences: far
    more valid non-ASCII characters than replaced ones (Windows-1252 text has almost none)."""
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return non_ascii - replaced >= 10 * replaced


def _strict_decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise Skip(f"not valid {encoding} despite its byte-order mark ({error.reason})") from None


def _legacy_decode(data: bytes) -> str:
    """Decode bytes that are not UTF-8: Windows-1252 when it reads cleanly, else a detected one."""
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        # Judge only the lines that hold non-ASCII characters: the rest decode the same anyway.
        sample = "\n".join(line for line in text.split("\n") if not line.isascii())[:100_000]
        if mess_ratio(sample, 0.2) < 0.1:
            return text
    best = from_bytes(data).best()
    if best is None:
        raise Skip("binary file or unknown encoding (not UTF-8, no legacy encoding fits)")
    return str(best)
