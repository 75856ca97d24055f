"""A single-file web page (MHTML, `.mht`/`.mhtml`: a MIME multipart/related message) becomes the
page of its HTML part, with its pictures taken from the other parts."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from urllib.parse import urlsplit

from disclosure.ocr.errors import InputError
from disclosure.ocr.html_page import MAX_HTML_BYTES, decode_html, read_html_text
from disclosure.ocr.page_model import PageDocument


def _html_part(message):
    for part in message.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            return part
    return None


def read_mhtml(path: Path) -> PageDocument:
    size = path.stat().st_size
    if size > MAX_HTML_BYTES:
        raise InputError(f"{path.name} is {size // 2**20} MiB; a saved report page is far smaller")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
    if not message.is_multipart():
        raise InputError(f"{path.name} is not an MHTML archive (no multipart/related body)")
    html = _html_part(message)
    if html is None:
        raise InputError(f"{path.name} is an MHTML archive without its HTML part; save the page again")
    data = html.get_payload(decode=True) or b""
    charset = html.get_content_charset()
    if charset and b"charset" not in data[:4096].lower():
        data = f'<meta charset="{charset}">'.encode("ascii") + data
    text, _ = decode_html(data)

    parts: dict[str, bytes] = {}
    for part in message.walk():
        if part.get_content_maintype() != "image":
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        for ref in (part.get("Content-Location"), part.get("Content-ID")):
            if ref:
                ref = ref.strip().strip("<>")
                parts[ref] = payload
                parts[f"cid:{ref}"] = payload
                parts[Path(urlsplit(ref).path).name] = payload

    def picture(src: str) -> bytes | None:
        return parts.get(src) or parts.get(Path(urlsplit(src).path).name)

    return read_html_text(text, path.name, picture)
