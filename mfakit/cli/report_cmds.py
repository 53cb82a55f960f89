"""``mfakit status | plan | export``: the inventory's migration state, on the terminal or as files to share.

All three take ``--state`` and ``--group`` filters. Rendering lives in :mod:`mfakit.cli.views` (terminal) and
:mod:`mfakit.export` (files); heavy libraries are imported only by the command that needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from mfakit.cli.output import banner, emit_json, err, examples, out

INVENTORY_OPT = typer.Option(None, "--inventory", "-i", help="Inventory YAML (default: $MFAKIT_INVENTORY, "
                             "data/private/inventory.yaml, else the example).")
FORMAT_TABLE = typer.Option("table", "--format", "-f", help="table or json")
STATE_OPT = typer.Option(None, "--state", "-s", metavar="STATE", help="Only accounts in this state (done, ready, hybrid, blocked, "
                         "unknown); repeat or comma-separate for several.")
GROUP_OPT = typer.Option(None, "--group", "-g", metavar="GROUP", help="Only accounts of this group (as in the inventory, any case); "
                         "repeat or comma-separate for several.")


STATUS_EPILOG = examples("mfakit status", "mfakit status --state ready --state hybrid",
                          "mfakit status --group Social --format json", "mfakit status -i data/private/inventory.yaml")
PLAN_EPILOG = examples("mfakit plan", "mfakit plan --sources", "mfakit plan --state ready,hybrid --group Dev",
                        "COLUMNS=120 mfakit plan", "mfakit plan --format json")
EXPORT_EPILOG = examples("mfakit export -o status.xlsx", "mfakit export -o plan.html --state ready,hybrid",
                          "mfakit export -o status.csv --group Social", "mfakit export -o - --format md",
                          "mfakit export -o out.txt --format json")


def _check_format(fmt: str) -> str:
    from mfakit.suggest import did_you_mean

    value = fmt.lower()
    if value not in ("table", "json"):
        raise typer.BadParameter(f"--format must be table or json, not '{fmt}'{did_you_mean(value, ('table', 'json'))}")
    return value


def _load(inventory: Optional[Path], states: Optional[list[str]], groups: Optional[list[str]]):
    """(inventory, every plan row, the filtered rows, where, the filter note) — filters checked before planning."""
    from mfakit.cli.views import check_groups, check_states, filter_note, filter_rows
    from mfakit.config import describe_inventory, resolve_inventory
    from mfakit.inventory import load_inventory
    from mfakit.plan import build_plan

    path = resolve_inventory(inventory)
    inv = load_inventory(path)
    wanted_states = check_states(states)
    wanted_groups = check_groups(groups, list(inv.groups()))
    rows = build_plan(inv)
    shown = filter_rows(rows, wanted_states, wanted_groups)
    return inv, rows, shown, describe_inventory(path), filter_note(wanted_states, wanted_groups, len(shown), len(rows))


def _json_rows(rows) -> list[dict]:
    from mfakit.export import COLUMNS
    return [{"id": r.account_id, **{c: r.as_record()[c] for c in COLUMNS}, "service_id": r.service_id,
             "off_app": r.off_app} for r in rows]


def status(inventory: Optional[Path] = INVENTORY_OPT, fmt: str = FORMAT_TABLE,
           state: Optional[list[str]] = STATE_OPT, group: Optional[list[str]] = GROUP_OPT) -> None:
    """Grouped status table: short labels, state, lockout risk, next step, and a one-line progress summary."""
    from mfakit import safe
    from mfakit.cli.views import status_table
    from mfakit.plan import summarize

    fmt = _check_format(fmt)
    inv, rows, shown, where, note = _load(inventory, state, group)
    if fmt == "json":
        banner(f"inventory: {where}{note}", True)
        emit_json(_json_rows(shown))
        return
    title = f"mfakit status — inventory: {safe.terminal(where)}{safe.terminal(note)}"
    out().print(status_table(list(inv.groups()), shown, title))
    out().print(summarize(shown).line(), soft_wrap=True)


def plan(inventory: Optional[Path] = INVENTORY_OPT, fmt: str = FORMAT_TABLE,
         state: Optional[list[str]] = STATE_OPT, group: Optional[list[str]] = GROUP_OPT,
         sources: bool = typer.Option(False, "--sources", help="List every source in full (URL, origin, date).")
         ) -> None:
    """The migration plan, most actionable first: state, lockout risk, next step and why, and numbered sources."""
    from mfakit import safe
    from mfakit.cli.views import links_allowed, plan_table, source_lines
    from mfakit.plan import sort_for_plan, summarize
    from mfakit.plan.sources import Footnotes

    fmt = _check_format(fmt)
    inv, rows, shown, where, note = _load(inventory, state, group)
    ordered = sort_for_plan(shown)
    if fmt == "json":
        banner(f"inventory: {where}{note}", True)
        emit_json(_json_rows(ordered))
        return
    console = out()
    links = links_allowed(console)
    notes = Footnotes()
    title = f"mfakit plan — inventory: {safe.terminal(where)}{safe.terminal(note)}"
    console.print(plan_table(ordered, title, notes, links=links))
    console.print(summarize(shown).line())
    for line in source_lines(notes, full=sources, links=links):
        console.print(line, soft_wrap=sources)  # a full URL is never broken by rich (it stays copyable)


def export(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (its folder is created; "
                                          "a relative path is relative to the project root); '-' writes to stdout "
                                          "(text formats). Default: data/private/exports/mfakit-status.html."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="csv, md, html, xlsx or json "
                                      "(default: from the file name)."),
    inventory: Optional[Path] = INVENTORY_OPT,
    state: Optional[list[str]] = STATE_OPT, group: Optional[list[str]] = GROUP_OPT,
) -> None:
    """Export the status table and plan to share: CSV (Excel-ready), Markdown, printable HTML, XLSX, JSON.

    The same columns in every format; HTML, Markdown and XLSX carry a summary; names from the data are escaped
    for each format (no formula in a spreadsheet, no markup in a page).
    """
    import sys

    from mfakit import safe
    from mfakit.errors import MfakitError
    from mfakit.export import FORMATS, default_export_dir, export_rows, format_from_path
    from mfakit.export.writers import normalize_format
    from mfakit.plan import sort_for_plan

    to_stdout = output is not None and str(output) == "-"
    if fmt:
        chosen = normalize_format(fmt)
    elif output is not None and not to_stdout and format_from_path(output):
        chosen = format_from_path(output) or ""
    elif output is None:
        chosen = "html"
    else:
        shown_name = "stdout" if to_stdout else f"'{safe.plain(output.name)}'"
        raise MfakitError(f"give --format (one of {', '.join(FORMATS)}); {shown_name} does not say which")
    if to_stdout and chosen == "xlsx":
        raise MfakitError("an XLSX workbook cannot go to stdout: give a file name with --output")
    inv, rows, shown, where, note = _load(inventory, state, group)
    title = inv.title or "mfakit status"
    meta = f"inventory: {where}{note}"
    if to_stdout:
        sys.stdout.write(str(export_rows(sort_for_plan(shown), chosen, None, title=title, meta=meta)))
        return
    if output is None:
        target = default_export_dir() / f"mfakit-status.{chosen}"
    else:
        from mfakit.config import resolve_path

        target = resolve_path(output)  # a relative path is relative to the project root, as everywhere
    export_rows(sort_for_plan(shown), chosen, target, title=title, meta=meta)
    try:
        target = target.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        pass
    err().print(f"wrote {len(shown)} accounts as {chosen} to {safe.terminal(str(target))} "
                f"(inventory: {safe.terminal(where)}{safe.terminal(note)})", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add status, plan and export to the root command, each with examples in its help."""
    app.command("status", epilog=STATUS_EPILOG)(status)
    app.command("plan", epilog=PLAN_EPILOG)(plan)
    app.command("export", epilog=EXPORT_EPILOG)(export)
