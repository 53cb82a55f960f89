"""``mfakit catalog``: show a service's facts with their provenance, list services, refresh from public catalogs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

FORMAT = typer.Option("table", "--format", "-f", help="table or json (pure JSON on stdout)")


def _check_format(fmt: str) -> str:
    fmt = (fmt or "").lower()
    if fmt not in ("table", "json"):
        raise typer.BadParameter(f"--format must be table or json, not '{fmt}'")
    return fmt


def _fact_json(fact: Any) -> dict[str, Any] | None:
    if fact is None:
        return None
    return {"value": fact.value, "origin": fact.origin, "source": fact.source, "as_of": fact.as_of}


def service_json(svc: Any) -> dict[str, Any]:
    """Everything the catalog knows about a service, every fact with origin, source and as_of."""
    from mfakit.catalog.model import CAPABILITIES

    return {
        "id": svc.id, "name": svc.name, "origin": svc.origin, "realm": svc.realm, "category": svc.category,
        "domains": list(svc.domains), "aliases": list(svc.aliases),
        "key_only": svc.key_only_value, "key_support": svc.key_support,
        "facts": {
            **{f"supports.{cap}": _fact_json(svc.supports.get(cap)) for cap in CAPABILITIES},
            "key_only": _fact_json(svc.key_only),
            "backups_required": _fact_json(svc.backups_required),
            **{f"extra.{k}": _fact_json(v) for k, v in sorted(svc.extra.items())},
        },
        "overridden_by_curated": {k: _fact_json(v) for k, v in sorted(svc.overridden.items())},
        "notes": svc.notes,
    }


def _value_text(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(none)"
    return str(value)


@app.command("show")
def show(
    service: str = typer.Argument(..., help="Service id, name, alias or domain (e.g. github, ＧｉｔＨｕｂ, amazon.co.jp)."),
    domain: Optional[str] = typer.Option(None, "--domain", help="Match by this domain first."),
    no_imported: bool = typer.Option(False, "--curated-only", help="Ignore the imported public-catalog layer."),
    fmt: str = FORMAT,
) -> None:
    """Show every fact the catalog holds for one service, with its origin, source and date."""
    from rich.table import Table

    from mfakit.catalog import load_catalog
    from mfakit.cli.output import emit_json, out

    fmt = _check_format(fmt)
    catalog = load_catalog(include_imported=not no_imported)
    svc = catalog.find(service, domain=domain)
    data = service_json(svc)
    if fmt == "json":
        emit_json(data)
        return
    con = out()
    realm = f"  realm: {svc.realm}" if svc.realm else ""
    con.print(f"[bold]{svc.name}[/bold] ({svc.id}; {svc.origin}){realm}")
    con.print(f"domains: {', '.join(svc.domains) or '-'}")
    if svc.aliases:
        con.print(f"aliases: {', '.join(svc.aliases)}")
    con.print(f"key-only: [bold]{svc.key_only_value}[/bold]   key or passkey usable: "
              f"{_value_text(svc.key_support) if svc.key_support is not None else 'unknown'}")
    table = Table(show_lines=False, header_style="bold")
    for col in ("fact", "value", "origin", "as of", "source"):
        table.add_column(col, overflow="fold")
    for key, fact in data["facts"].items():
        if fact is None:
            if key.startswith("supports.") or key in ("key_only", "backups_required"):
                table.add_row(key, "unknown", "-", "-", "-")
            continue
        table.add_row(key, _value_text(fact["value"]), fact["origin"], fact["as_of"], fact["source"])
    for key, fact in data["overridden_by_curated"].items():
        table.add_row(f"{key} (overridden)", _value_text(fact["value"]), fact["origin"], fact["as_of"],
                      fact["source"])
    con.print(table)
    if svc.notes:
        con.print(f"notes: {svc.notes}")


@app.command("list")
def list_services(
    all_services: bool = typer.Option(False, "--all", help="Include services known only from imported catalogs."),
    fmt: str = FORMAT,
) -> None:
    """List catalog services (curated ones by default) with key support and key-only."""
    from rich.table import Table

    from mfakit.catalog import load_catalog
    from mfakit.cli.output import emit_json, out

    fmt = _check_format(fmt)
    catalog = load_catalog(include_imported=all_services)
    rows = [s for s in catalog.services.values() if all_services or s.origin == "curated"]
    if fmt == "json":
        emit_json([{"id": s.id, "name": s.name, "origin": s.origin, "realm": s.realm, "category": s.category,
                    "key_support": s.key_support, "key_only": s.key_only_value} for s in rows])
        return
    table = Table(header_style="bold")
    for col in ("id", "name", "realm", "category", "key usable", "key-only", "origin"):
        table.add_column(col)
    for s in rows:
        ks = "unknown" if s.key_support is None else _value_text(s.key_support)
        table.add_row(s.id, s.name, s.realm or "", s.category, ks, s.key_only_value, s.origin)
    out().print(table)
    out().print(f"{len(rows)} service(s)")


@app.command("match")
def match(
    name: str = typer.Argument(..., help="A service name as an account shows it."),
    account: Optional[str] = typer.Option(None, "--account", help="The account (e-mail or URL give hints)."),
    domain: Optional[str] = typer.Option(None, "--domain", help="A domain for the account."),
    fmt: str = FORMAT,
) -> None:
    """Show how an account name would be matched to the catalog (certain, ambiguous or none)."""
    from mfakit.catalog import load_catalog
    from mfakit.cli.output import emit_json, out

    fmt = _check_format(fmt)
    m = load_catalog().match(name, domain=domain, account=account)
    data = {"query": name, "service": m.service.id if m.service else None, "how": m.how,
            "certain": m.certain, "candidates": list(m.candidates)}
    if fmt == "json":
        emit_json(data)
        return
    if m.service:
        out().print(f"{name!r} → {m.service.id} ({m.service.name}) by {m.how}")
    elif m.candidates:
        out().print(f"{name!r} is not certain ({m.how}): candidates {', '.join(m.candidates)}")
    else:
        out().print(f"{name!r}: no service in the catalog matches")


@app.command("refresh")
def refresh(
    files: list[Path] = typer.Argument(..., help="2fa.directory API v3/v4 all.json and/or passkeys-directory API v1 all.json."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Date of the files' data (YYYY-MM-DD); default: each file's modification date."),
    fmt: str = FORMAT,
) -> None:
    """Import public catalog files into the local layer (data/catalog/imported.json); curated facts still win."""
    from rich.table import Table

    from mfakit.catalog.refresh import refresh as do_refresh
    from mfakit.cli.output import emit_json, err, out

    fmt = _check_format(fmt)
    with err().status("importing catalogs…") as status:
        summary = do_refresh(list(files), as_of=as_of, progress=lambda msg: status.update(msg))
    if fmt == "json":
        emit_json(summary.as_dict())
        return
    con = out()
    table = Table(header_style="bold", title="catalog refresh")
    for col in ("file", "catalog", "entries", "as of"):
        table.add_column(col, overflow="fold")
    for f in summary.files:
        table.add_row(f["file"], f["kind"], str(f["entries"]), f["as_of"])
    con.print(table)
    per = ", ".join(f"{k}: {v}" for k, v in summary.entries_per_source.items())
    con.print(f"layer written: {summary.layer}")
    con.print(f"entries per source: {per}")
    con.print(f"services: {summary.services_total} ({summary.curated_services} curated, "
              f"{summary.imported_only_services} known only from public catalogs); "
              f"{len(summary.new_services)} new since the last refresh")
    con.print(f"curated services with imported facts beneath: {len(summary.merged_into_curated)}")
    if summary.curated_overrides:
        con.print("curated facts that overrode a different imported fact:")
        for sid, keys in summary.curated_overrides.items():
            con.print(f"  {sid}: {', '.join(keys)}")
    else:
        con.print("no curated fact disagreed with an imported one")
