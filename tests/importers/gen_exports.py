"""Realistic exports of every format mfakit reads, written here from the apps' documented layouts with FAKE
secrets, so a fresh clone (no ../shared) exercises every importer, plain and encrypted.

Each ``make_*`` returns ``Export(data, password, expected)``: the file's bytes, the password it needs (or None)
and the entries a correct reader finds, as (issuer, account, type, algorithm, digits, period, counter) tuples.
The odd cases real files hold are in ``ACCOUNTS``: a hand-typed 17-character Base32 secret, SHA384, the same
account and secret under SHA1 and SHA256 (two entries, not one), non-ASCII names, HOTP and Steam.
Key-derivation costs are lowered where the format stores them (the reader uses what the file says), so the
suite stays fast; Stratum's fixed Argon2id (64 MiB) is kept as the app writes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from gen_apps import (make_aegis, make_andotp, make_authpro, make_bitwarden, make_ente, make_freeotp,
                      make_google_migration, make_lastpass, make_proton_authenticator, make_twofas, make_uri_list)
from gen_base import ACCOUNTS, PASSWORD, Acct, Export, secrets  # noqa: F401  (the tests import them from here)
from gen_families import aegis_family, migration_family  # noqa: F401
from gen_more import (KEEPASS_FIXTURE, load_keepass, make_freeotp2, make_keepass, make_proton_pass,  # noqa: F401
                      make_steam, make_totp_authenticator, make_winauth)

GENERATORS: dict[str, Callable[[], Export]] = {
    "freeotp2-backup": make_freeotp2,
    "totp-authenticator-encrypted": make_totp_authenticator,
    "totp-authenticator-nopass": lambda: make_totp_authenticator(None),
    "winauth-encrypted": make_winauth,
    "uri-list": make_uri_list,
    "google-migration": make_google_migration,
    "google-qr": lambda: make_google_migration(image=True),
    "aegis": make_aegis,
    "aegis-encrypted": lambda: make_aegis(encrypted=True),
    "2fas": make_twofas,
    "2fas-encrypted": lambda: make_twofas(encrypted=True),
    "bitwarden-json": make_bitwarden,
    "bitwarden-csv": lambda: make_bitwarden("csv"),
    "bitwarden-pbkdf2": lambda: make_bitwarden("pbkdf2"),
    "bitwarden-argon2id": lambda: make_bitwarden("argon2id"),
    "andotp": make_andotp,
    "andotp-encrypted": lambda: make_andotp("encrypted"),
    "andotp-encrypted-old": lambda: make_andotp("old"),
    "ente": make_ente,
    "ente-encrypted": lambda: make_ente(encrypted=True),
    "lastpass": make_lastpass,
    "proton-authenticator": make_proton_authenticator,
    "freeotp-plus": make_freeotp,
    "freeotp-xml": lambda: make_freeotp(xml=True),
    "authpro": make_authpro,
    "authpro-strong": lambda: make_authpro("strong"),
    "authpro-legacy": lambda: make_authpro("legacy"),
    "authpro-html": lambda: make_authpro("html"),
    "proton-pass": make_proton_pass,
    "steam": make_steam,
}


def write_all(folder: Path) -> dict[str, tuple[Path, Export]]:
    """Write every generated export (KeePass included) into ``folder``."""
    out: dict[str, tuple[Path, Export]] = {}
    for name, make in GENERATORS.items():
        exp = make()
        path = folder / f"{name}--{exp.name}"
        path.write_bytes(exp.data)
        out[name] = (path, exp)
    kp = load_keepass()
    (folder / kp.name).write_bytes(kp.data)
    out["keepass"] = (folder / kp.name, kp)
    return out


if __name__ == "__main__":
    print(make_keepass().name, "written")
