"""``mfakit catalog``: show a service's facts with their provenance, list and match services, refresh from public
catalogs, and record your own findings (``set`` / ``unset`` / ``add``) in the personal layer.

Every name printed here comes from data (catalog files, the user's own file) and goes through
:mod:`mfakit.safe`: ``safe.terminal`` inside rich markup, ``safe.plain`` where no markup is parsed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from mfakit import safe
from mfakit.cli.output import did_you_mean, examples

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

FORMAT = typer.Option("table", "--format", "-f", help="table or json (pure JSON on stdout)")


def _check_format(fmt: str) -> str:
    fmt = (fmt or "").lower()
    if fmt not in ("table", "json"):
        raise typer.BadParameter(f"--format must be table or json, not '{fmt}'"
                                f"{did_you_mean(fmt, ('table', 'json'))}")
    return fmt


def _fact_json(fact: Any) -> dict[str, Any] | None:
    if fact is None:
        return None
    return {"value": fact.value, "origin": fact.origin, "source": fact.source, "as_of": fact.as_of}


def _overridden(svc: Any) -> dict[str, list[dict[str, Any]]]:
    """Every fact a higher layer replaced, per key: what your finding replaced, and what curated replaced."""
    out: dict[str, list[dict[str, Any]]] = {}
    for key, fact in sorted(svc.personal_overrides.items()):
        out.setdefault(key, []).append(_fact_json(fact))  # type: ignore[arg-type]
    for key, fact in sorted(svc.overridden.items()):
        item = _fact_json(fact)
        if item not in out.get(key, []):
            out.setdefault(key, []).append(item)  # type: ignore[arg-type]
    return out


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
        "overridden": _overridden(svc),
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


@app.command("show", epilog=examples("mfakit catalog show github", "mfakit catalog show amazon.co.jp",
                                     "mfakit catalog show x --format json",
                                     "mfakit catalog show github --curated-only"))
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
    t = safe.terminal
    realm = f"  realm: {t(svc.realm)}" if svc.realm else ""
    con.print(f"[bold]{t(svc.name)}[/bold] ({t(svc.id)}; {t(svc.origin)}){realm}")
    con.print(f"domains: {t(', '.join(svc.domains)) or '-'}")
    if svc.aliases:
        con.print(f"aliases: {t(', '.join(svc.aliases))}")
    con.print(f"key-only: [bold]{t(svc.key_only_value)}[/bold]   key or passkey usable: "
              f"{_value_text(svc.key_support) if svc.key_support is not None else 'unknown'}")
    from mfakit.cli.views import links_allowed, source_lines
    from mfakit.plan.sources import Footnotes

    notes = Footnotes()  # each source listed once under the table, not repeated on every row

    def cited(fact: dict) -> str:
        if not fact.get("source"):
            return "-"
        nums = notes.add(f"{fact['source']} ({fact['origin']}, {fact['as_of']})" if fact.get("as_of")
                         else fact["source"])
        return " ".join(f"[{n}]" for n in nums) or "-"

    table = Table(show_lines=False, header_style="bold")
    for col in ("fact", "value", "origin", "as of", "src"):
        table.add_column(col, overflow="fold")
    for key, fact in data["facts"].items():
        if fact is None:
            if key.startswith("supports.") or key in ("key_only", "backups_required"):
                table.add_row(key, "unknown", "-", "-", "-")
            continue
        table.add_row(t(key), t(_value_text(fact["value"])), t(fact["origin"]), t(fact["as_of"]),
                      safe.terminal(cited(fact)))
    con.print(table)
    lines = source_lines(notes, full=True, links=links_allowed(con))
    if lines:
        con.print("[bold]Sources[/bold]")
    for line in lines:
        con.print(line, soft_wrap=True)  # a full URL is never broken (it stays copyable)
    if data["overridden"]:
        con.print("overridden by a higher layer (personal > curated > imported):")
        for key, facts in data["overridden"].items():
            for fact in facts:
                con.print(f"  {t(key)}: {t(_value_text(fact['value']))} ({t(fact['origin'])}, {t(fact['as_of'])}; "
                          f"{t(fact['source'])})")
    if svc.notes:
        con.print(f"notes: {t(svc.notes)}")


@app.command("list", epilog=examples("mfakit catalog list", "mfakit catalog list --format json",
                                     "mfakit catalog list --all"))
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
    rows = [s for s in catalog.services.values() if all_services or s.origin in ("curated", "personal")]
    if fmt == "json":
        emit_json([{"id": s.id, "name": s.name, "origin": s.origin, "realm": s.realm, "category": s.category,
                    "key_support": s.key_support, "key_only": s.key_only_value} for s in rows])
        return
    table = Table(header_style="bold")
    for col in ("id", "name", "realm", "category", "key usable", "key-only", "origin"):
        table.add_column(col)
    t = safe.terminal
    for s in rows:
        ks = "unknown" if s.key_support is None else _value_text(s.key_support)
        table.add_row(t(s.id), t(s.name), t(s.realm or ""), t(s.category), ks, t(s.key_only_value), t(s.origin))
    out().print(table)
    out().print(f"{len(rows)} service(s)")


@app.command("match", epilog=examples('mfakit catalog match "GitHub Enterprise"',
                                      "mfakit catalog match Amazon --account taro@example.co.jp",
                                      "mfakit catalog match office.com --format json"))
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
    catalog = load_catalog()
    m = catalog.match(name, domain=domain, account=account)
    data = {"query": name, "service": m.service.id if m.service else None, "how": m.how,
            "certain": m.certain, "candidates": list(m.candidates)}
    if fmt == "json":
        emit_json(data)
        return
    t = safe.terminal
    if m.service:
        out().print(f"{t(repr(name))} → {t(m.service.id)} ({t(m.service.name)}) by {m.how}")
    elif m.candidates:
        out().print(f"{t(repr(name))} is not certain ({m.how}): candidates {t(', '.join(m.candidates))}")
    elif m.how == "tenant":
        out().print(f"{t(repr(name))}: a sign-in tenant of a shared provider, not the provider; no service matches")
    else:
        out().print(f"{t(repr(name))}: no service in the catalog matches{t(catalog.suggest(name))}")


@app.command("refresh", epilog=examples("mfakit catalog refresh 2fa-directory-all.json --as-of 2026-08-05",
                                        "mfakit catalog refresh 2fa-directory-all.json passkeys-directory-all.json"))
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
        table.add_row(safe.terminal(f["file"]), f["kind"], str(f["entries"]), f["as_of"])
    con.print(table)
    per = ", ".join(f"{k}: {v}" for k, v in summary.entries_per_source.items())
    con.print(f"layer written: {safe.terminal(_shown(Path(summary.layer)))}")
    con.print(f"entries per source: {per}")
    con.print(f"services: {summary.services_total} ({summary.curated_services} curated, "
              f"{summary.imported_only_services} known only from public catalogs); "
              f"{len(summary.new_services)} new since the last refresh")
    con.print(f"curated services with imported facts beneath: {len(summary.merged_into_curated)}")
    if summary.curated_overrides:
        con.print("curated facts that overrode a different imported fact:")
        for sid, keys in summary.curated_overrides.items():
            con.print(f"  {safe.terminal(sid)}: {', '.join(keys)}")
    else:
        con.print("no curated fact disagreed with an imported one")


# --- your own findings: the personal layer -----------------------------------------------------------------

def _parse_assignments(items: list[str]) -> dict[str, str]:
    from mfakit.catalog.personal import fact_name
    from mfakit.errors import CatalogError

    facts: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise CatalogError(f"{item!r}: write FACT=VALUE (e.g. key_only=yes, security_key=no)")
        name, value = item.split("=", 1)
        fact_name(name)  # unknown fact → one line with "did you mean"
        facts[name.strip()] = value.strip()
    return facts


def _personal_path() -> Path:
    from mfakit.catalog.personal import personal_catalog_path

    return personal_catalog_path()


def _shown(path: Path) -> str:
    from mfakit import config

    try:
        return str(path.resolve().relative_to(Path(config.PROJ_ROOT).resolve()))
    except ValueError:
        return str(path)


@app.command("set", epilog=examples('mfakit catalog set x key_only=no --source "tried it: X still asks for the '
                                    'app code"',
                                    "mfakit catalog set github passkey_login=yes --as-of 2026-11-01",
                                    'mfakit catalog set github notes="asks for TOTP or SMS as a backup"'))
def set_cmd(
    service: str = typer.Argument(..., help="Service id, name or domain (see 'mfakit catalog list')."),
    facts: list[str] = typer.Argument(..., help="FACT=VALUE...: a capability (totp, sms, email, push, security_key, "
                                            "passkey_2fa, passkey_login) = yes/no; key_only = yes/no/unknown; "
                                            "backups_required = a comma list; notes = text; "
                                            "key_support = security_key/passkey/both/none."),
    source: Optional[str] = typer.Option(None, "--source", help="Where you found it (default: 'you, DATE')."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Date of the finding, YYYY-MM-DD (default: today)."),
) -> None:
    """Record your own findings about a service (data/private/catalog.yaml); they win over every catalog."""
    from mfakit.catalog import load_catalog
    from mfakit.catalog.personal import set_facts
    from mfakit.cli.output import out

    parsed = _parse_assignments(facts)
    path = _personal_path()
    set_facts(service, parsed, source=source, as_of=as_of, path=path)
    svc = load_catalog(personal_path=path).find(service)
    out().print(f"{safe.terminal(svc.name)} ({safe.terminal(svc.id)}): recorded "
                f"{safe.terminal(', '.join(facts))} in {safe.terminal(_shown(path))}")


@app.command("unset", epilog=examples('mfakit catalog set x key_only=no notes="still asks for the app code"',
                                      "mfakit catalog unset x key_only", "mfakit catalog unset x notes"))
def unset_cmd(
    service: str = typer.Argument(..., help="Service id, name or domain."),
    facts: list[str] = typer.Argument(..., help="Fact names to forget (the catalogs' facts show again)."),
) -> None:
    """Forget some of your own findings about a service."""
    from mfakit.catalog.personal import unset_facts
    from mfakit.cli.output import out

    path = _personal_path()
    unset_facts(service, list(facts), path=path)
    out().print(f"{safe.terminal(service)}: forgot {safe.terminal(', '.join(facts))} in "
                f"{safe.terminal(_shown(path))}")


@app.command("add", epilog=examples('mfakit catalog add "Example Corp VPN" --domain vpn.example.com --alias "Work VPN"',
                                    'mfakit catalog add "Home NAS" --domain nas.example.org',
                                    "mfakit catalog set example-corp-vpn key_support=security_key key_only=no"))
def add_cmd(
    name: str = typer.Argument(..., help="The service's name, e.g. 'Example Corp VPN'."),
    domains: list[str] = typer.Option([], "--domain", help="A domain of the service (repeatable)."),
    aliases: list[str] = typer.Option([], "--alias", help="Another name accounts may use for it (repeatable)."),
) -> None:
    """Add a service no catalog knows to your personal catalog; then record facts with 'catalog set'."""
    from mfakit.catalog.personal import add_service
    from mfakit.cli.output import out

    path = _personal_path()
    sid = add_service(name, domains=list(domains), aliases=list(aliases), path=path)
    out().print(f"added {safe.terminal(name)} as {safe.terminal(sid)} in {safe.terminal(_shown(path))}; next: "
                f"mfakit catalog set {safe.terminal(sid)} key_support=ANSWER (security_key, passkey, both or none)")
