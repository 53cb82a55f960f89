"""Your own findings: the personal layer above curated and imported facts, its API, its commands, its file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import run_cli
from mfakit import config
from mfakit.catalog import load_catalog
from mfakit.catalog.personal import add_service, personal_catalog_path, read_personal, set_facts, unset_facts
from mfakit.catalog.questions import Question, questions_for
from mfakit.errors import CatalogError
from mfakit.inventory.storage import load_inventory
from mfakit.plan.states import build_plan

ROOT = Path(__file__).resolve().parents[2]


def _plan(catalog=None):  # type: ignore[no-untyped-def]
    return {r.label: r for r in build_plan(load_inventory(config.EXAMPLE_INVENTORY), catalog)}


def test_path_default_and_relative_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MFAKIT_PERSONAL_CATALOG")
    assert personal_catalog_path() == Path(config.PRIVATE_DIR) / "catalog.yaml"
    monkeypatch.setenv("MFAKIT_PERSONAL_CATALOG", "data/private/mine.yaml")
    assert personal_catalog_path() == Path(config.PROJ_ROOT) / "data" / "private" / "mine.yaml"


def test_example_plan_states_with_the_updated_facts() -> None:
    rows = _plan(load_catalog(include_imported=False))
    assert rows["X"].state == "ready"
    assert rows["Instagram"].state == "blocked"
    assert [label for label, r in rows.items() if r.state == "unknown"] == ["Work VPN"]
    step = rows["Work VPN"].next_step
    assert "mfakit catalog add 'Example Corp VPN'" in step and "mfakit catalog set example-corp-vpn" in step
    assert "What I found" in step


def test_set_facts_wins_fact_by_fact_and_keeps_what_it_overrides(_personal_catalog: Path) -> None:
    before = load_catalog(include_imported=False).get("github")
    set_facts("GitHub", {"key_only": "yes"}, source="my test, tried it", as_of="2026-11-01")
    gh = load_catalog(include_imported=False).get("github")
    assert gh.key_only.value == "yes" and gh.key_only.origin == "personal"
    assert gh.key_only.source == "my test, tried it" and gh.key_only.as_of == "2026-11-01"
    assert gh.personal_overrides["key_only"] == before.key_only  # the curated fact is kept
    assert gh.supports["totp"].origin == "curated"  # other facts untouched
    assert _plan()["GitHub"].state == "ready"  # a fresh plan reflects it (load_catalog reads the layer)
    unset_facts("github", ["key_only"])
    assert load_catalog(include_imported=False).get("github").key_only.origin == "curated"
    assert read_personal(_personal_catalog) == []  # nothing left: the entry is gone


def test_default_source_is_you_and_today(_personal_catalog: Path) -> None:
    import datetime as dt

    set_facts("instagram", {"key_support": "passkey"})
    fact = load_catalog(include_imported=False).get("instagram").supports["passkey_login"]
    today = dt.date.today().isoformat()
    assert (fact.value, fact.source, fact.as_of, fact.origin) == (True, f"you, {today}", today, "personal")


def test_add_service_then_facts_settle_the_unknown(_personal_catalog: Path) -> None:
    sid = add_service("Example Corp VPN", domains=["https://vpn.example.com/login"], aliases=["Work VPN"])
    assert sid == "example-corp-vpn"
    assert _plan()["Work VPN"].service_id == "example-corp-vpn"
    set_facts(sid, {"key_support": "security_key", "key_only": "no", "backups_required": "totp"})
    row = _plan()["Work VPN"]
    assert row.state == "hybrid" and "personal" in row.source
    cat = load_catalog(include_imported=False)
    assert cat.match("x", domain="vpn.example.com").service.id == sid
    with pytest.raises(CatalogError, match="already"):
        add_service("Example Corp VPN")
    with pytest.raises(CatalogError, match="already belongs to 'github'"):
        add_service("My Git", domains=["github.com"])


@pytest.mark.parametrize("service,facts,message", [
    ("Githbu", {"totp": "yes"}, "did you mean 'github'"),
    ("github", {"secruity_key": "yes"}, "did you mean 'security_key'"),
    ("github", {"security_key": "maybe"}, "yes or no"),
    ("github", {"key_only": "sometimes"}, "yes, no or unknown"),
    ("github", {"key_support": "some"}, "must be none, security_key, passkey, both"),
    ("Amazon", {"totp": "yes"}, "amazon-jp"),  # ambiguous: name one realm
])
def test_bad_input_is_one_line(service: str, facts: dict, message: str, _personal_catalog: Path) -> None:
    with pytest.raises(CatalogError) as info:
        set_facts(service, facts)
    assert message in str(info.value) and "\n" not in str(info.value)
    assert not _personal_catalog.exists()  # nothing written


def test_bad_dates_are_refused(_personal_catalog: Path) -> None:
    for bad in ("yesterday", "2026-02-30"):
        with pytest.raises(CatalogError):
            set_facts("github", {"totp": "yes"}, as_of=bad)
    assert not _personal_catalog.exists()


def test_comments_are_kept_and_a_broken_file_is_one_line(_personal_catalog: Path) -> None:
    set_facts("x", {"key_only": "yes"})
    text = _personal_catalog.read_text(encoding="utf-8")
    _personal_catalog.write_text(text.replace("\nservices:", "\n# my note about X\nservices:"), encoding="utf-8")
    set_facts("github", {"notes": "two keys registered"})
    text = _personal_catalog.read_text(encoding="utf-8")
    assert "# my note about X" in text and "two keys registered" in text and "id: x" in text
    _personal_catalog.write_text("version: 1\nservices:\n  - id: github\n    supports: {totp: yes}\n", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(include_imported=False)
    assert str(_personal_catalog) in str(info.value) and "value" in str(info.value)
    _personal_catalog.write_text("version: 1\nservices:\n  - id: github\n    colour: red\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="unknown field 'colour'"):
        load_catalog(include_imported=False)


def test_questions_for_unknown_and_hybrid_rows(_personal_catalog: Path) -> None:
    set_facts("x", {"key_only": "unknown"})  # make X unknown again through the personal layer
    rows = _plan()
    q = questions_for(rows["X"])
    assert q == [Question("x", "key_only", "Does X let you turn TOTP off once a key is registered?",
                          [("Yes: TOTP can be turned off", "yes"), ("No: TOTP (or SMS) must stay", "no")])]
    vpn = questions_for(rows["Work VPN"])
    assert len(vpn) == 1 and vpn[0].add_first and vpn[0].fact == "key_support"
    assert vpn[0].text == "Does Example Corp VPN take security keys or passkeys?"
    assert questions_for(rows["GitHub"])[0].fact == "key_only"  # hybrid: the same question, to confirm
    assert questions_for(rows["Google"]) == [] and questions_for(rows["Instagram"]) == []
    # answering as the widget would settles the rows
    set_facts(q[0].service, {q[0].fact: q[0].choices[0][1]})
    sid = add_service(vpn[0].service)
    set_facts(sid, {vpn[0].fact: "none"})
    rows = _plan()
    assert rows["X"].state == "ready" and rows["Work VPN"].state == "blocked"
    assert vpn[0].command("none") == ("mfakit catalog add 'Example Corp VPN' && "
                                      "mfakit catalog set example-corp-vpn key_support=none")


def test_cli_set_unset_add_and_show(capsys: pytest.CaptureFixture[str], _personal_catalog: Path) -> None:
    code, out, err = run_cli(["catalog", "set", "x", "key_only=no", "--source", "tried it", "--as-of",
                              "2026-11-02"], capsys)
    assert code == 0 and "recorded key_only=no" in out and err == ""
    code, out, _ = run_cli(["catalog", "show", "x", "-f", "json"], capsys)
    data = json.loads(out)
    assert data["facts"]["key_only"] == {"value": "no", "origin": "personal", "source": "tried it",
                                         "as_of": "2026-11-02"}
    assert data["overridden"]["key_only"][0]["origin"] == "curated"  # what it overrides is shown
    code, out, _ = run_cli(["catalog", "show", "x"], capsys)
    assert "│ personal │" in out and "overridden by a higher layer" in out and "  key_only: yes (curated" in out
    code, out, _ = run_cli(["catalog", "unset", "x", "key_only"], capsys)
    assert code == 0 and "forgot key_only" in out
    code, out, _ = run_cli(["catalog", "add", "Example Corp VPN", "--domain", "vpn.example.com", "--alias",
                            "Work VPN"], capsys)
    assert code == 0 and "example-corp-vpn" in out
    code, out, _ = run_cli(["catalog", "list", "-f", "json"], capsys)
    assert {r["id"]: r["origin"] for r in json.loads(out)}["example-corp-vpn"] == "personal"


@pytest.mark.parametrize("argv,needle", [
    (["catalog", "set", "githbu", "totp=yes"], "did you mean 'github'"),
    (["catalog", "set", "github", "secruity_key=yes"], "did you mean 'security_key'"),
    (["catalog", "set", "github", "security_key=maybe"], "yes or no"),
    (["catalog", "set", "github", "totp"], "FACT=VALUE"),
    (["catalog", "set", "github", "totp=yes", "--as-of", "2026-13-01"], "date"),
    (["catalog", "unset", "github", "nosuchfact"], "unknown fact"),
    (["catalog", "add", "GitHub"], "already has"),
])
def test_cli_errors_exit_2_with_one_line(argv: list[str], needle: str, capsys: pytest.CaptureFixture[str],
                                         _personal_catalog: Path) -> None:
    code, out, err = run_cli(argv, capsys)
    assert code == 2 and out == "" and needle in err and err.count("\n") == 1
    assert not _personal_catalog.exists()


def test_concurrent_catalog_set_runs_all_land(tmp_path: Path, _personal_catalog: Path) -> None:
    """Six processes record different facts at once: the locked read-modify-write keeps every one."""
    env = {**os.environ, "MFAKIT_PERSONAL_CATALOG": str(_personal_catalog), "MFAKIT_DATA_DIR": str(tmp_path)}
    jobs = [("github", "notes=a"), ("gitlab", "key_only=yes"), ("x", "notes=c"), ("dropbox", "totp=no"),
            ("github", "key_only=yes"), ("x", "sms=no")]
    code = "import sys; from mfakit.cli.main import run; run(sys.argv[1:])"
    procs = [subprocess.Popen([sys.executable, "-c", code, "catalog", "set", sid, fact], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for sid, fact in jobs]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert all(rc == 0 for _, _, rc in results), [e.decode() for _, e, _ in results]
    got = {s.id: s for s in read_personal(_personal_catalog)}
    assert got["github"].notes == "a" and got["github"].key_only.value == "yes"
    assert got["gitlab"].key_only.value == "yes" and got["dropbox"].supports["totp"].value is False
    assert got["x"].notes == "c" and got["x"].supports["sms"].value is False


def test_findings_about_an_imported_service_survive_a_refresh_that_renames_it(
        tmp_path: Path, _personal_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mfakit.catalog.refresh import refresh

    monkeypatch.setattr(config, "CATALOG_DIR", tmp_path / "cat")

    v3, v4 = tmp_path / "v3.json", tmp_path / "v4.json"
    v3.write_text(json.dumps([["Airbrake", {"domain": "airbrake.io", "tfa": ["totp", "u2f"]}]]), encoding="utf-8")
    v4.write_text(json.dumps({"airbrake.io": {"methods": ["totp", "u2f"]}}), encoding="utf-8")
    refresh([v3], as_of="2026-08-05", catalog_dir=tmp_path / "cat")
    cat = load_catalog(catalog_dir=tmp_path / "cat", personal_path=_personal_catalog)
    assert cat.match("Airbrake").service.id == "airbrake"
    set_facts("Airbrake", {"key_only": "yes"}, path=_personal_catalog)
    (tmp_path / "cat" / "imported.json").unlink()
    refresh([v4], as_of="2026-08-05", catalog_dir=tmp_path / "cat")  # v4: the id becomes airbrake-io
    svc = load_catalog(catalog_dir=tmp_path / "cat", personal_path=_personal_catalog).match("Airbrake").service
    assert svc.id == "airbrake-io" and svc.key_only.origin == "personal" and svc.key_only.value == "yes"
    assert svc.supports["security_key"].origin == "2fa.directory"  # the imported facts are still there


def test_a_symlinked_personal_catalog_is_written_through(tmp_path: Path, _personal_catalog: Path) -> None:
    real = tmp_path / "sync" / "catalog.yaml"
    real.parent.mkdir()
    real.write_text("# synced elsewhere\nversion: 1\nservices: []\n", encoding="utf-8")
    _personal_catalog.parent.mkdir(parents=True, exist_ok=True)
    _personal_catalog.symlink_to(real)
    set_facts("github", {"notes": "two keys"})
    assert _personal_catalog.is_symlink() and os.readlink(_personal_catalog) == str(real)
    text = real.read_text(encoding="utf-8")
    assert "# synced elsewhere" in text and "two keys" in text
