"""Files uploaded for a preview, held on the server until the uploader confirms, cancels or they expire.

The preview and the confirmation are two requests; the file is not sent back by the browser (it could send
anything) nor re-uploaded. It is written under `settings.HELD_FILES_DIR` as a random token, and only the
uploader's session knows the token: a confirmation naming a token that is not in the session (another
session's, a typed one) finds nothing. A held file lives `HOLD_SECONDS` at most (an hour); every new upload
clears the expired ones. The folder must be shared by every process that serves requests (one host: the
default, under the system's temporary folder).
"""
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

HOLD_SECONDS = 60 * 60
SESSION_KEY = "held_files"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def _folder():
    folder = Path(getattr(settings, "HELD_FILES_DIR", "") or Path(tempfile.gettempdir()) / "drafting-held-files")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _clear_expired(folder, now):
    for path in folder.iterdir():
        try:
            if now - path.stat().st_mtime > HOLD_SECONDS:
                path.unlink()
        except OSError:  # another process cleared it first
            pass


def hold(request, data, **about):
    """Keep `data` for this session; returns the token. `about` (the file's name, the document...) is kept
    in the session beside it and given back by `take`."""
    folder, now = _folder(), time.time()
    _clear_expired(folder, now)
    token = secrets.token_urlsafe(32)
    (folder / token).write_bytes(data)
    held = {t: entry for t, entry in request.session.get(SESSION_KEY, {}).items() if now - entry["at"] <= HOLD_SECONDS}
    held[token] = {**about, "at": now}
    request.session[SESSION_KEY] = held
    return token


def take(request, token):
    """(data, about) of a file this session holds under `token`, or None (unknown, another session's, expired)."""
    entry = request.session.get(SESSION_KEY, {}).get(token or "")
    if entry is None or not TOKEN.match(token) or time.time() - entry["at"] > HOLD_SECONDS:
        return None
    try:
        return (_folder() / token).read_bytes(), entry
    except OSError:
        return None


def release(request, token):
    """Forget a held file once it has been used."""
    held = request.session.get(SESSION_KEY, {})
    if held.pop(token, None) is not None:
        request.session[SESSION_KEY] = held
    if TOKEN.match(token or ""):
        (_folder() / token).unlink(missing_ok=True)


def read_limit():
    """The most an upload is read before it is refused as too large (the Word import's own limit)."""
    from .word_import import max_bytes

    return max_bytes()
