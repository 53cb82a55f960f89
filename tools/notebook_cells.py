"""The cells of notebooks 01 and 02 (edit here, then run tools/make_notebooks.py).

Thin on purpose: the logic lives in :mod:`mfakit.notebook`; code cells are collapsed (``hide``) so the first
screen shows the title, the parameters and the answer to "where am I?".
"""

NB01 = [
    ("md", """
# 1 · Your accounts, grouped

Where your migration stands, your accounts **grouped** (the authenticator app cannot), a table you can sort,
filter and search, the catalog, and imports from your authenticator app. Change the parameters below and
**Run All**; relative paths mean the project folder (not `notebooks/`).
"""),
    ("params", """
# Parameters
INVENTORY = None        # your inventory YAML; None → $MFAKIT_INVENTORY, data/private/inventory.yaml, else the example
START_NEW = None        # e.g. "data/private/inventory.yaml": create an empty inventory there (if none yet) and use it
IMPORT_FILES = []       # authenticator exports to import (metadata only), e.g. ["~/Downloads/aegis.json"]
IMPORT_APPLY = False    # False: show what would change; True: merge into the inventory (atomic save)
"""),
    ("hide", """
from mfakit.notebook import Workspace

ws = Workspace(INVENTORY, start_new=START_NEW)
ws.first_screen()
"""),
    ("md", """
## Grouped view

Click a group's header to fold or unfold it. Each line: the short label, the account, the factors in use and
the migration state.
"""),
    ("hide", """
ws.grouped()
"""),
    ("md", """
## Every account

Click a header to sort (shift-click for a second column), type in the search box or in a column's filter below
the table. Works offline: nothing is fetched.
"""),
    ("hide", """
ws.inventory_table()
"""),
    ("md", """
## Search the catalog

What a service supports, whether TOTP can go once a key is registered (key-only), the backup it insists on,
and where each fact comes from. Names match regardless of case, full/half width, accents and punctuation.
"""),
    ("hide", """
ws.catalog_search("github")
"""),
    ("md", """
## Import from an authenticator app

Give the exported files in `IMPORT_FILES` (Google Authenticator transfer QR screenshots or
`otpauth-migration://` text, otpauth lists, Aegis, 2FAS, Bitwarden, andOTP, Ente Auth and more). Only metadata
is kept — issuer, account name, algorithm, digits, period — never the secret. With `IMPORT_APPLY = False` this
only shows what would be added, updated or skipped. With no files it shows a generated transfer (fake secrets);
the command line does the same with `mfakit import FILE... --dry-run`.
"""),
    ("hide", """
ws.import_preview(IMPORT_FILES, apply=IMPORT_APPLY)
"""),
]

NB02 = [
    ("md", """
# 2 · The plan and your progress

Where you stand, the **next step** for every account (with its reason and source), what **one lost device**
would cost you, widgets to **record a change** and **what you found** — each refreshes every view below in
place — your **progress** over time, and **exports**.
"""),
    ("params", """
# Parameters
INVENTORY = None     # None → $MFAKIT_INVENTORY, data/private/inventory.yaml, else the example
EXPORT_DIR = None    # where the Export button writes; None → data/private/exports/ (ignored by git)
"""),
    ("hide", """
from mfakit.notebook import Workspace

ws = Workspace(INVENTORY)
ws.first_screen()
"""),
    ("md", """
## The plan

Most actionable first. **done**: on a key or passkey, no TOTP or SMS left · **ready**: the service lets the key
replace TOTP · **hybrid**: the key is taken but TOTP must stay · **blocked**: no key support · **unknown**: the
catalog cannot tell (answer it below, in *What I found*). Sort, filter and search in the table.
"""),
    ("hide", """
ws.plan_table()
"""),
    ("md", """
## If you lose a device

For every phone app, phone number and key in your inventory: the accounts you would be **locked out of**, and
those you could only get back with **recovery codes**. The same as `mfakit lockout`.
"""),
    ("hide", """
ws.lockout_view()
"""),
    ("md", """
## Record a change

Registered a key, removed TOTP? Choose the account, what you added (and where: a key or app you already use is
offered) and what you removed, the date, then **Record change**. The file is rewritten atomically with your
comments kept, the change dated in the account's history (the same as `mfakit record`), and every view in this
notebook updates. A change the plan warns against asks you to confirm.
"""),
    ("hide", """
ws.record_widget()
"""),
    ("md", """
## What I found

For an account the plan marks *unknown* or *hybrid*, answer the plan's own question from what you saw on the
service's security page. The answer goes to your personal catalog (`data/private/catalog.yaml`, ignored by
git) with its source and date — the same as `mfakit catalog set` — and the plan updates.
"""),
    ("hide", """
ws.findings_widget()
"""),
    ("md", """
## Progress

Accounts by state on every day something changed (replayed from the dated history, today last), and per group.
"""),
    ("hide", """
ws.progress_view()
"""),
    ("md", """
## Exports

The status table and plan as CSV (Excel-friendly), Markdown, a printable HTML page, XLSX and JSON, written to
`EXPORT_DIR` (default `data/private/exports/`, which JupyterLab's file browser can open).
"""),
    ("hide", """
ws.exports(EXPORT_DIR)
"""),
]
