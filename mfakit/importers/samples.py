"""Sample Google Authenticator transfers with FAKE secrets, for tests, the benchmark and offline demos.

``migration_uris`` builds ``otpauth-migration://`` links (batches of ~10 accounts like the app does);
``qr_image`` renders links as QR codes in one PNG (needs ``segno``, a test dependency).
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from urllib.parse import quote

from mfakit.importers.google_migration import _payload_class

_ALG = {"SHA1": 1, "SHA256": 2, "SHA512": 3, "MD5": 4}
_TYPE = {"hotp": 1, "totp": 2}


@dataclass(frozen=True)
class SampleAccount:
    issuer: str
    name: str
    type: str = "totp"
    algorithm: str = "SHA1"
    digits: int = 6
    counter: int = 0

    @property
    def secret(self) -> bytes:
        """A fake, deterministic 20-byte secret (so tests can look for it)."""
        return hashlib.sha1(f"mfakit-sample:{self.issuer}:{self.name}".encode()).digest()


def migration_uris(accounts: list[SampleAccount], per_code: int = 10, batch_id: int = -123456789,
                   name_with_issuer: bool = True) -> list[str]:
    """Links as the app exports them: ``per_code`` accounts per QR code, one shared (negative) batch id."""
    chunks = [accounts[i:i + per_code] for i in range(0, len(accounts), per_code)] or [[]]
    uris = []
    for index, chunk in enumerate(chunks):
        msg = _payload_class()()
        msg.version, msg.batch_size, msg.batch_index, msg.batch_id = 1, len(chunks), index, batch_id
        for a in chunk:
            p = msg.otp_parameters.add()
            p.secret = a.secret
            p.name = f"{a.issuer}:{a.name}" if name_with_issuer and a.issuer else a.name
            p.issuer = a.issuer
            p.algorithm = _ALG[a.algorithm]
            p.digits = 2 if a.digits == 8 else 1
            p.type = _TYPE[a.type]
            p.counter = a.counter
        data = base64.b64encode(msg.SerializeToString()).decode()
        uris.append("otpauth-migration://offline?data=" + quote(data, safe=""))
    return uris


def qr_image(texts: list[str], scale: int = 4, border: int = 4, fmt: str = "PNG") -> bytes:
    """Render each text as a QR code, side by side in one image (a screenshot of several codes)."""
    import segno
    from PIL import Image

    tiles = []
    for text in texts:
        buf = io.BytesIO()
        segno.make_qr(text, error="m").save(buf, kind="png", scale=scale, border=border)
        buf.seek(0)
        tiles.append(Image.open(buf).convert("L"))
    width = sum(t.width for t in tiles)
    height = max(t.height for t in tiles)
    sheet = Image.new("L", (width, height), 255)
    x = 0
    for t in tiles:
        sheet.paste(t, (x, 0))
        x += t.width
    out = io.BytesIO()
    sheet.save(out, format=fmt)
    return out.getvalue()


def sample_accounts(n: int, offset: int = 0) -> list[SampleAccount]:
    """``n`` varied accounts, with Japanese and German issuers among them."""
    issuers = ["GitHub", "Amazon", "楽天", "Deutsche Bank", "Dropbox", "ヤフー", "Münchner Verkehrsverbund",
               "Cloudflare", "メルカリ", "Straße & Söhne GmbH", "Discord", "Microsoft"]
    out = []
    for i in range(offset, offset + n):
        issuer = issuers[i % len(issuers)]
        out.append(SampleAccount(issuer=issuer, name=f"user{i}@example.com",
                                 type="hotp" if i % 7 == 3 else "totp",
                                 algorithm="SHA256" if i % 5 == 4 else "SHA1",
                                 digits=8 if i % 6 == 5 else 6, counter=i if i % 7 == 3 else 0))
    return out
