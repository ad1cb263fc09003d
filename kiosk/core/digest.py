"""SHA-256 and BLAKE2b from CPython's own hash modules rather than OpenSSL's.

``import hashlib`` loads OpenSSL's libcrypto: ~3.6 MB resident in a kiosk where no other
program shares it, for hashes that need no speed (the content cache's key and check, the
start-up picture's key: a few hundred KB at start-up). CPython builds SHA-256 and BLAKE2
in (``_sha256``, named ``_sha2`` from 3.12, and ``_blake2``), with the same results;
``hashlib`` is the fallback for a Python built without them. (The staff PIN's scrypt
still comes from ``hashlib``, loaded when a PIN is first checked.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hashlib import blake2b, sha256
else:
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:  # pragma: no cover - depends on the Python
        try:
            from _sha2 import sha256  # Python 3.12+
        except ImportError:
            from hashlib import sha256
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - depends on the Python
        from hashlib import blake2b

__all__ = ["blake2b", "sha256"]
