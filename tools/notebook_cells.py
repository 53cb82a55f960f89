"""The cells of notebooks 01 and 02 (edit here, then run tools/make_notebooks.py)."""

NB01 = [
    ("md", """
# 1 · Your accounts, grouped

The authenticator app shows one long flat list. This notebook shows the same accounts **grouped**, with
short labels, the factors each one uses, and where it stands on the way to a security key.

Run it top to bottom. By default it reads the example inventory (the seed author's accounts); put your own in
`data/private/inventory.yaml` (ignored by git) or set `INVENTORY` below.
"""),
    ("params", """
# Parameters
INVENTORY = None        # path to an inventory YAML; None → $MFAKIT_INVENTORY, data/private/inventory.yaml, else the example
START_NEW = None        # a path: create an empty inventory there (if it does not exist yet) and use it
LOOKUP = ["github", "Amazon.co.jp", "じゃらん", "ＧｏｏｇＬｅ"]   # services to look up in the catalog
IMPORT_FILES = []       # authenticator exports to import (metadata only), e.g. ["~/Downloads/aegis.json"]
IMPORT_APPLY = False    # False: show what would change; True: merge into the inventory (atomic save)
"""),
    ("code", """
from pathlib import Path

import pandas as pd

from mfakit.catalog import load_catalog
from mfakit.config import describe_inventory, resolve_inventory
from mfakit.export import to_frame
from mfakit.inventory import load_inventory, new_inventory, save_inventory
from mfakit.notebook.ui import catalog_facts, grouped_view_html, show
from mfakit.plan import build_plan

if START_NEW and not Path(START_NEW).expanduser().exists():
    save_inventory(new_inventory(Path(START_NEW).expanduser(), title="my accounts"))
path = resolve_inventory(START_NEW or INVENTORY)
inventory = load_inventory(path)
catalog = load_catalog()
print(f"inventory: {describe_inventory(path)} — {len(inventory.accounts)} accounts in {len(inventory.groups())} groups")
"""),
    ("md", """
## Grouped view

Click a group's header to fold or unfold it (the app cannot do this). Each line shows the short label, the
account, the factors in use and the migration state.
"""),
    ("code", """
rows = build_plan(inventory, catalog)
show(grouped_view_html(rows))
"""),
    ("md", """
## The same as a table

A pandas DataFrame, for sorting and filtering your own way.
"""),
    ("code", """
frame = to_frame(rows)
frame[["group", "label", "service", "account", "factors", "state"]]
"""),
    ("md", """
## Catalog lookups

What each service supports, whether TOTP can be removed once a key is registered (`key_only`), and where every
fact comes from. Names are matched regardless of case, full-width/half-width characters, accents and punctuation.
"""),
    ("code", """
pd.concat([pd.DataFrame(catalog_facts(catalog, name)) for name in LOOKUP], ignore_index=True)
"""),
    ("md", """
## Import from an authenticator app

Give the exported files in `IMPORT_FILES` (Google Authenticator transfer QR screenshots or
`otpauth-migration://` text, otpauth lists, Aegis, 2FAS, Bitwarden, andOTP, Ente Auth). Only metadata is
kept — issuer, account name, algorithm, digits, period — never the secret. With `IMPORT_APPLY = False` this only
shows what would be added, updated or skipped. With no files it shows a generated transfer (fake secrets) so you
can see what an import looks like; the command line does the same with `mfakit import FILE... --dry-run`.
"""),
    ("code", """
from mfakit.notebook.importing import import_preview

import_preview(inventory, IMPORT_FILES, apply=IMPORT_APPLY, catalog=catalog)
"""),
]

NB02 = [
    ("md", """
# 2 · The migration plan and your progress

For every account: its **state** (done, ready, hybrid, blocked, unknown), the **next concrete step**, the reason
and the source of the fact behind it; the **lockout risk** (what one lost phone or key would cost you);
a widget to **record a change** (saved to your inventory file, comments kept); **progress over time**;
and **exports**.
"""),
    ("params", """
# Parameters
INVENTORY = None     # None → $MFAKIT_INVENTORY, data/private/inventory.yaml, else the example
EXPORT_DIR = None    # where to write the exports; None → a temporary folder
"""),
    ("code", """
import tempfile
from pathlib import Path

import pandas as pd

from mfakit.catalog import load_catalog
from mfakit.config import describe_inventory, resolve_inventory
from mfakit.export import FORMATS, export_rows, to_frame
from mfakit.inventory import load_inventory
from mfakit.notebook.ui import RecordWidget, plan_table_html, show, show_figure
from mfakit.plan import STATE_MEANING, build_plan, plot_timeline, sort_for_plan, summarize, summarize_by_group, timeline

path = resolve_inventory(INVENTORY)
inventory = load_inventory(path)
catalog = load_catalog()
rows = build_plan(inventory, catalog)
print(f"inventory: {describe_inventory(path)}")
print(summarize(rows).line())
"""),
    ("md", """
## The plan

Most actionable first. `done` accounts no longer need the authenticator app at all.
"""),
    ("code", """
pd.DataFrame({"state": list(STATE_MEANING), "meaning": list(STATE_MEANING.values())})
"""),
    ("code", """
show(plan_table_html(sort_for_plan(rows)))
"""),
    ("md", """
## Lockout risk

Accounts where one lost device locks you out: TOTP only on one phone, a single key with no second key, no
recovery codes recorded, or SMS as the only fallback.
"""),
    ("code", """
risk = pd.DataFrame([{"label": r.label, "group": r.group, "risk": r.lockout.level,
                      "why": "; ".join(r.lockout.reasons)} for r in rows])
order = {"high": 0, "medium": 1, "low": 2, "none": 3}
risk.sort_values("risk", key=lambda s: s.map(order)).query("risk != 'none'")
"""),
    ("md", """
## Record a change

Registered a key, removed TOTP? Choose the account, what you added (and on which key) and what you removed,
then press **Record change**. The inventory file is rewritten atomically, your comments kept, the change dated
in the account's history — the same function as `mfakit record`.
"""),
    ("code", """
RecordWidget(path, catalog=catalog)
"""),
    ("md", """
## Progress

Accounts off the authenticator app, overall and by group, and over time (replayed from the dated history).
"""),
    ("code", """
pd.DataFrame([{"group": g, "accounts": p.total, "off the app": p.off_app, "on a key": p.on_key,
               "% off": round(p.percent_off_app)} for g, p in summarize_by_group(rows).items()])
"""),
    ("code", """
show_figure(plot_timeline(timeline(inventory), title=inventory.title or "Migration progress"))
"""),
    ("md", """
## Exports

The status table and plan in every format (same columns everywhere): CSV and XLSX for spreadsheets, Markdown for
notes, a printable HTML page, JSON for scripts.
"""),
    ("code", """
out_dir = Path(EXPORT_DIR).expanduser() if EXPORT_DIR else Path(tempfile.mkdtemp(prefix="mfakit-export-"))
written = []
for fmt in FORMATS:
    target = out_dir / f"mfakit-status.{fmt}"
    export_rows(sort_for_plan(rows), fmt, target, title=inventory.title or "mfakit status",
                meta=f"inventory: {describe_inventory(path)}")
    written.append({"format": fmt, "file": str(target), "bytes": target.stat().st_size})
pd.DataFrame(written)
"""),
]
