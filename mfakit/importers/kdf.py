"""Password key derivation for encrypted exports, with the costs a file states capped.

An encrypted export names its own key-derivation cost (iterations, memory). A damaged or hostile file could
ask for minutes of CPU and gigabytes of memory, so every cost is checked against a limit just above what the
apps write by default (Ente's "sensitive" Argon2id: 1 GiB × 4 passes; Bitwarden's PBKDF2 maximum of 2 million;
KeePass's one-second AES-KDF on a fast machine) before any work starts; beyond it the file is refused in one
line. The derived keys never leave the importer that asked for them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from mfakit.importers.common import fail

#: Argon2: memory (KiB), memory × passes (KiB·passes), passes, lanes.
MAX_ARGON2_MEMORY_KIB = 1024 * 1024
MAX_ARGON2_WORK_KIB = 8 * 1024 * 1024
MAX_ARGON2_PASSES = 100
MAX_ARGON2_LANES = 16
#: PBKDF2 iterations (Bitwarden allows up to 2,000,000; andOTP writes ~150,000).
MAX_PBKDF2_ITERATIONS = 5_000_000
#: scrypt memory (128·n·r bytes) and p (Aegis writes n=2^15, r=8, p=1: 32 MiB).
MAX_SCRYPT_BYTES = 256 * 1024 * 1024
MAX_SCRYPT_P = 4
#: KeePass AES-KDF rounds (its "1 second" benchmark gives tens of millions on a fast machine).
MAX_AES_KDF_ROUNDS = 300_000_000


def _refuse(path: Path | str, what: str, detail: str) -> Exception:
    return fail(path, f"{what}: the key-derivation cost in the file ({detail}) is beyond this kit's limit; "
                      "refused (a damaged or hostile file — export it again with the app's default settings)")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def argon2(password: bytes, salt: bytes, passes: object, memory_kib: object, lanes: object, *,
           path: Path | str, what: str, variant: str = "id") -> bytes:
    """A 32-byte Argon2 key (``variant`` "id" or "d") after checking the file's costs."""
    from argon2.low_level import Type, hash_secret_raw
    from argon2.exceptions import HashingError

    if not (_is_int(passes) and _is_int(memory_kib) and _is_int(lanes)):
        raise fail(path, f"{what}: the Argon2 parameters are not numbers (damaged file)")
    assert isinstance(passes, int) and isinstance(memory_kib, int) and isinstance(lanes, int)
    if not (1 <= passes <= MAX_ARGON2_PASSES and 8 * lanes <= memory_kib <= MAX_ARGON2_MEMORY_KIB
            and 1 <= lanes <= MAX_ARGON2_LANES and passes * memory_kib <= MAX_ARGON2_WORK_KIB):
        raise _refuse(path, what, f"Argon2 {memory_kib // 1024} MiB × {passes} passes × {lanes} lanes")
    if not 8 <= len(salt) <= 1024:
        raise fail(path, f"{what}: the Argon2 salt has a wrong length (damaged file)")
    try:
        return hash_secret_raw(password, salt, time_cost=passes, memory_cost=memory_kib, parallelism=lanes,
                               hash_len=32, type=Type.ID if variant == "id" else Type.D)
    except HashingError:
        raise fail(path, f"{what}: Argon2 refused the file's parameters (damaged file)") from None
    except MemoryError:
        raise fail(path, f"{what}: not enough memory for the file's Argon2 parameters") from None


def pbkdf2(hash_name: str, password: bytes, salt: bytes, iterations: object, *, path: Path | str, what: str,
           length: int = 32) -> bytes:
    """PBKDF2-HMAC after checking the iteration count."""
    if not _is_int(iterations):
        raise fail(path, f"{what}: the PBKDF2 iteration count is not a number (damaged file)")
    assert isinstance(iterations, int)
    if not 1 <= iterations <= MAX_PBKDF2_ITERATIONS:
        raise _refuse(path, what, f"PBKDF2 with {iterations} iterations")
    return hashlib.pbkdf2_hmac(hash_name, password, salt, iterations, length)


def check_scrypt(n: object, r: object, p: object, *, path: Path | str, what: str) -> tuple[int, int, int]:
    """The scrypt parameters, checked (n a power of two; memory and p capped)."""
    if not all(_is_int(v) for v in (n, r, p)):
        raise fail(path, f"{what}: scrypt parameters out of range (damaged or hostile header)")
    assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
    if not (1 < n and n & (n - 1) == 0 and r > 0 and 0 < p):
        raise fail(path, f"{what}: scrypt parameters out of range (damaged or hostile header)")
    if 128 * n * r > MAX_SCRYPT_BYTES or p > MAX_SCRYPT_P:
        raise _refuse(path, what, f"scrypt n={n}, r={r}, p={p}")
    return n, r, p


def aes_kdf(seed: bytes, rounds: object, key: bytes, *, path: Path | str, what: str) -> bytes:
    """KeePass's AES-KDF: ``key`` encrypted ``rounds`` times with AES-256-ECB under ``seed``, then SHA-256.

    Iterating a block is the same as CBC-encrypting zero blocks with that block as IV (each ciphertext block
    is the next input), so the rounds run inside the AES library instead of a Python loop.
    """
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if not _is_int(rounds) or len(seed) != 32 or len(key) != 32:
        raise fail(path, f"{what}: the AES-KDF parameters are damaged")
    assert isinstance(rounds, int)
    if not 1 <= rounds <= MAX_AES_KDF_ROUNDS:
        raise _refuse(path, what, f"AES-KDF with {rounds} rounds")
    chunk_blocks = 1 << 16
    zeros = bytes(16 * chunk_blocks)
    out = b""
    for half in (key[:16], key[16:]):
        enc = Cipher(algorithms.AES(seed), modes.CBC(half)).encryptor()
        left, last = rounds, half
        while left:
            n = min(left, chunk_blocks)
            block = enc.update(zeros[: 16 * n])
            last = block[-16:]
            left -= n
        out += last
    return hashlib.sha256(out).digest()
