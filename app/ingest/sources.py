"""What a scraper sent, kept beside its article: text as it came, a fetched page compressed
(pages are large and repetitive; a base64 text column keeps backups and both engines simple)."""

import base64
import gzip

IDENTITY = "identity"
GZIP_BASE64 = "gzip+base64"


def pack(payload: str, compress: bool) -> tuple[str, str]:
    """(stored text, encoding); compressed without a timestamp, so equal pages pack equally."""
    if not compress:
        return payload, IDENTITY
    packed = gzip.compress(payload.encode("utf-8", "replace"), compresslevel=6, mtime=0)
    return base64.b64encode(packed).decode("ascii"), GZIP_BASE64


def unpack(stored: str, encoding: str) -> str:
    if encoding == GZIP_BASE64:
        return gzip.decompress(base64.b64decode(stored)).decode("utf-8", "replace")
    return stored
