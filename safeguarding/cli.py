"""Command-line interface: ingest, validate, demo and serve (see DESIGN.md for the contract)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Child-protection performance analytics for safeguarding partnerships.",
)

WarehouseOpt = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="Warehouse file (default $SAFEGUARDING_WAREHOUSE or data/curated/warehouse.duckdb).",
    ),
]


@app.callback()
def _options(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Settings file (default $SAFEGUARDING_CONFIG, else ./safeguarding.toml if present).",
        ),
    ] = None,
) -> None:
    """Read the settings file once and set up logging, before any command runs."""
    from indicators import access
    from vocabulary import settings
    from vocabulary.logs import configure_logging

    try:
        settings.configure(config)
        configure_logging()
        access.set_scope(access.configured_limits()["cli"])  # [access] cli = [...]: this whole run
    except settings.ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _require(extra: str, *modules: str) -> None:
    """Stop with the pip command to run when an optional part of the product is not installed."""
    from importlib.util import find_spec

    missing = [m for m in modules if find_spec(m) is None]
    if missing:
        typer.echo(
            f"error: this command needs the [{extra}] extra ({', '.join(missing)} not installed): "
            f"pip install 'safeguarding[{extra}]'",
            err=True,
        )
        raise typer.Exit(2)


def _print_results(results) -> None:
    for r in results:
        typer.echo(r.summary())


_STOPPED: list[int] = []


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM (and SIGHUP) end a load like Ctrl-C: the build copy is removed on the way out and
    the warehouse is unchanged. Only kill -9 leaves a copy, which the next load or serve sweeps."""
    import signal

    def stop(signum, _frame):
        _STOPPED.append(signum)
        raise SystemExit(128 + signum)  # inside a DuckDB query this surfaces as "Query interrupted"

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to load.")],
    warehouse: WarehouseOpt = None,
    strict: Annotated[bool, typer.Option(help="Reject files with rule failures too.")] = False,
    force: Annotated[
        bool,
        typer.Option(help="Let a census return replace one that has far more children."),
    ] = False,
) -> None:
    """Load files into the warehouse, all or nothing."""
    from indicators.mart import refresh as refresh_mart
    from pipelines.issues import IngestError
    from pipelines.load import ingest as run_ingest

    _exit_cleanly_on_sigterm()
    try:
        results = run_ingest(paths, warehouse, strict=strict, force=force, after_curate=refresh_mart)
    except IngestError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(1) from None
    except (Exception, SystemExit):
        if not _STOPPED:
            raise
        typer.echo(
            "the load was stopped by a signal; nothing was loaded and the warehouse is unchanged", err=True
        )
        raise typer.Exit(128 + _STOPPED[0]) from None
    _print_results(results)
    loaded = sum(r.status == "loaded" for r in results)
    typer.echo(f"{loaded} file(s) loaded, {len(results) - loaded} unchanged or superseded.")


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to check.")],
    strict: Annotated[bool, typer.Option(help="Count rule failures as rejections.")] = False,
    rules: Annotated[
        str | None,
        typer.Option(
            "--rules",
            help="DfE rule set by collection year: 2023-24, 2024-25 or 2025-26 "
            "(default: each return's own year).",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="table (default), json, csv or xlsx (xlsx needs --out).")
    ] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write the issues to this file.")] = None,
) -> None:
    """Run every check and print every issue; loads nothing. Exits 1 if a file would be rejected."""
    from pipelines.dfe.engine import COLLECTION_YEARS
    from pipelines.dfe.export import FORMATS, issues_frame, render, write_xlsx
    from pipelines.load import validate_files

    if rules is not None and rules not in COLLECTION_YEARS:
        raise typer.BadParameter(f"choose one of {', '.join(COLLECTION_YEARS)}", param_hint="--rules")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    if fmt == "xlsx" and out is None:
        raise typer.BadParameter("an Excel workbook needs --out FILE.xlsx", param_hint="--format")
    results = validate_files(paths, rules=rules)
    failed = False
    summaries = []
    for r in results:
        if fmt == "table":
            for issue in r.issues:
                typer.echo(str(issue))
        rejected = r.status == "rejected" or (strict and r.rules)
        failed |= bool(rejected)
        verdict = "REJECTED" if rejected else "OK"
        checked = f" (DfE rules {r.dfe_rules})" if r.dfe_rules else ""
        summaries.append(
            f"{r.path.name}: {verdict}: {len(r.structural)} structural error(s), "
            f"{len(r.rules)} rule failure(s){checked}, {r.children:,} children"
        )
    if fmt == "table":
        for line in summaries:
            typer.echo(line)
    else:
        frame = issues_frame(i for r in results for i in r.issues)
        if fmt == "xlsx":
            write_xlsx(frame, out)
        elif out is not None:
            out.write_text(render(frame, fmt), encoding="utf-8")
        else:
            typer.echo(render(frame, fmt), nl=False)
        for line in summaries:
            typer.echo(line, err=True)
    raise typer.Exit(1 if failed else 0)


# Shipped with the package (vocabulary/reference/README.md): real ONS 0-17 populations (denominators),
# the Census 2021 ethnic mix (all ages, a proxy) and the published DfE benchmarks (EES tables, LAIT,
# statistical neighbours).
DEMO_REFERENCE = (
    "ons_*.csv",
    "census2021_*.csv",
    "b1_*.csv",
    "c[1-4]_*.csv",
    "d[0-9]_*.csv",
    "sn_model_*.csv",
    "bds_long_*.parquet",
)


@app.command()
def demo(
    warehouse: WarehouseOpt = None,
    out: Annotated[Path, typer.Option(help="Where to write the demo raw files.")] = Path("data/raw/demo"),
    partnership: Annotated[
        bool,
        typer.Option(
            "--partnership",
            help="Also generate the partnership's other member LAs (partnership.yaml), sized from ONS, "
            "so `partnership` has values.",
        ),
    ] = False,
) -> None:
    """Generate the synthetic demo LA (if not there yet) and load it."""
    from indicators.mart import refresh as refresh_mart
    from pipelines.demo.demo_la import generate_demo
    from pipelines.issues import IngestError
    from pipelines.load import ingest as run_ingest
    from vocabulary.reference import reference_paths

    marker = out / ".complete"
    if not marker.exists():
        typer.echo(f"generating the synthetic demo LA in {out} ...", err=True)
        generate_demo(out)
        marker.write_text("generated by `safeguarding demo`\n")
    if not any(out.glob("partner_return_*.csv")):  # partner agency returns (pipelines/demo/partners.py)
        from pipelines.demo.partners import write_partner_returns

        write_partner_returns(out)
    if not (out / "assurance_actions.csv").exists():  # s.11, audits, actions (pipelines/demo/assurance.py)
        from pipelines.demo.assurance import write_assurance_returns

        write_assurance_returns(out)
    files = sorted(p for p in out.iterdir() if p.suffix in {".xml", ".csv", ".xlsx"})
    if partnership:
        from pipelines.demo_members import write_member_las

        files += write_member_las(out / "partnership")
    try:
        with reference_paths(*DEMO_REFERENCE) as reference:
            if not reference:
                typer.echo("error: the package's reference data is missing (vocabulary/reference)", err=True)
                raise typer.Exit(1)
            results = run_ingest(files + reference, warehouse, after_curate=refresh_mart)
    except IngestError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(1) from None
    _print_results(results)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8050,
    demo: Annotated[bool, typer.Option(help="Demo mode: no login, 127.0.0.1 only.")] = False,
    debug: Annotated[bool, typer.Option(help="Dash development server with reloading.")] = False,
    warehouse: WarehouseOpt = None,
) -> None:
    """Serve the dashboard (waitress, a production WSGI server)."""
    _require("dashboard", "dash", "dash_bootstrap_components", "waitress", "flask_wtf")
    from dashboard.server import run
    from indicators.store import health_check
    from pipelines.warehouse import sweep_leftovers
    from vocabulary.settings import resolve_warehouse

    sweep_leftovers(resolve_warehouse(warehouse))  # build copies left by a killed load
    ok, detail = health_check(warehouse)
    if not ok:
        typer.echo(f"error: {resolve_warehouse(warehouse)}: {detail}", err=True)
        raise typer.Exit(1)
    from indicators.mart import is_current

    if detail == "ok" and not is_current(warehouse):
        typer.echo(
            "note: this warehouse has no indicator mart built by this version, so values are computed "
            "on demand (slower, more memory): run `safeguarding rebuild-mart` to build it",
            err=True,
        )
    try:
        run(host=host, port=port, demo=demo, debug=debug, warehouse=warehouse)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command("rebuild-mart")
def rebuild_mart(warehouse: WarehouseOpt = None) -> None:
    """Rebuild the indicator mart of a loaded warehouse: after an upgrade, or a change of partnership.yaml.
    Loads keep it up to date themselves; until it is rebuilt, values are computed on demand."""
    from indicators.mart import build
    from pipelines.issues import IngestError
    from pipelines.warehouse import rebuild
    from vocabulary.settings import resolve_warehouse

    target = resolve_warehouse(warehouse)
    if not target.exists():
        typer.echo(f"error: no warehouse at {target}: load data first", err=True)
        raise typer.Exit(2)
    started = time.perf_counter()
    try:
        with rebuild(target) as con:  # a private copy, swapped in atomically when done
            built = build(con)
    except IngestError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"indicator mart rebuilt: {built.rows:,} rows, {len(built.full)} indicator scopes, "
        f"{time.perf_counter() - started:.1f} s"
    )


users_app = typer.Typer(help="Manage dashboard users (stored with hashed passwords).")
app.add_typer(users_app, name="users")


@users_app.callback()
def _users_need_the_dashboard() -> None:
    _require("dashboard", "flask", "flask_wtf", "werkzeug")


@users_app.command("add")
def users_add(
    username: str,
    role: Annotated[str, typer.Option(help="board (suppressed figures) or analyst.")] = "board",
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from standard input instead of prompting.")
    ] = False,
    la: Annotated[
        list[str] | None,
        typer.Option("--la", help="Limit the user to this LA (repeat for several); default every LA."),
    ] = None,
) -> None:
    """Add a user, or change an existing user's password and role (this ends their sessions)."""
    from dashboard.auth import add_user, users_file

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        add_user(username, password, role, la_codes=la or None)  # type: ignore[arg-type]
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"user {username} ({role}) saved in {users_file()}")


@users_app.command("remove")
def users_remove(username: str) -> None:
    """Remove a user and end their sessions at once."""
    from dashboard.auth import remove_user

    if not remove_user(username):
        typer.echo(f"error: no user called {username}", err=True)
        raise typer.Exit(1)
    typer.echo(f"user {username} removed; their sessions are ended")


@users_app.command("role")
def users_role(
    username: str,
    role: Annotated[str, typer.Option(help="board (suppressed figures) or analyst.")],
) -> None:
    """Change a user's role; a signed-in user sees the new role's view on their next click."""
    from dashboard.auth import set_role

    try:
        found = set_role(username, role)  # type: ignore[arg-type]
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if not found:
        typer.echo(f"error: no user called {username}", err=True)
        raise typer.Exit(1)
    typer.echo(f"user {username} is now {role}")


@users_app.command("list")
def users_list() -> None:
    """List users and their roles (never their passwords)."""
    from dashboard.auth import load_users, users_file

    users = load_users()
    if not users:
        typer.echo(f"no users in {users_file()}")
    for name, record in sorted(users.items()):
        limit = f"\tLAs {','.join(record['la_codes'])}" if record.get("la_codes") else ""
        typer.echo(f"{name}\t{record['role']}{limit}")


@users_app.command("audit")
def users_audit() -> None:
    """Check the audit log of sign-ins and downloads: every line present, in order and unedited."""
    from dashboard.audit import AuditLog
    from dashboard.auth import users_file
    from dashboard.security import audit_file

    secrets = users_file().parent
    log = AuditLog(audit_file(secrets.parent / "logs" / "audit.jsonl"), secrets / "audit.key")
    problems = log.problems()
    for problem in problems:
        typer.echo(f"{log.path}: {problem}", err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{log.path}: {len(log.events())} lines, chain intact (key {log.key_file})")


@app.command("indicators")
def indicators_cmd(
    period: Annotated[
        str | None,
        typer.Option(help="2023-24, 2024-25-Q3, 2024-09 or R12-2024-09; default: the latest year loaded."),
    ] = None,
    la: Annotated[
        str | None,
        typer.Option(
            help="3-digit DfE LA number, or partnership: the member LAs of partnership.yaml pooled "
            "(sums of numerators and denominators)."
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            help="Breakdown: la, area, ethnicity, ethnic_group, sex, age_band, category, latest_category, "
            "cdop_age_band, expected, death_category, factor_domestic_abuse, factor_mental_health, "
            "factor_substance_misuse, assessment_factor."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    role: Annotated[
        str, typer.Option(help="analyst (unsuppressed) or board (small numbers as c).")
    ] = "analyst",
    agency: Annotated[
        str | None,
        typer.Option(
            help="Partner agency id from the partner measures file (e.g. police), or all: the LA's "
            "indicators and every partner measure. Default: the LA's indicators only."
        ),
    ] = None,
    theme: Annotated[
        str | None,
        typer.Option(
            help="Priority theme id (e.g. domestic_abuse): the LA's indicators and every agency's measures "
            "in it (or one agency's, with --agency)."
        ),
    ] = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Print indicator values for one period (the LA's, or partner agencies' with --agency/--theme)."""
    from indicators.cli_output import board_notes, indicator_rows, render

    try:
        rows = indicator_rows(period, la, by, role, warehouse, agency, theme)
    except (ValueError, KeyError, FileNotFoundError, PermissionError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    for note in board_notes(period, by, role):
        typer.echo(f"note: {note}", err=True)
    typer.echo(render(rows, fmt))


@app.command("report")
def report_cmd(
    quarter: Annotated[str, typer.Option(help="The quarter, e.g. 2024-25-Q3.")],
    la: Annotated[
        str | None,
        typer.Option(
            help="3-digit DfE LA number, or partnership (the member LAs pooled); default: the first loaded."
        ),
    ] = None,
    role: Annotated[str, typer.Option(help="board (small numbers as c) or analyst.")] = "board",
    out: Annotated[Path | None, typer.Option(help="Folder for the HTML and PDF.")] = None,
    commentary: Annotated[
        Path | None, typer.Option(help="Commentary YAML (default reports/commentary/<la>-<quarter>.yaml).")
    ] = None,
    draft_commentary: Annotated[
        bool,
        typer.Option(
            "--draft-commentary",
            help="Write the commentary file pre-filled with the detected exceptions "
            "(never overwrites), then stop.",
        ),
    ] = False,
    pdf: Annotated[bool, typer.Option(help="Also write the PDF.")] = True,
    warehouse: WarehouseOpt = None,
) -> None:
    """Write the quarterly exception report (HTML and PDF), or draft its commentary file."""
    _require("report", "jinja2", "kaleido", "weasyprint")
    from reports.build import apply_commentary, build_report
    from reports.commentary import CommentaryError, default_path, load_commentary, write_draft
    from reports.render import write_report

    try:
        if draft_commentary:
            report = build_report(quarter, la, role, warehouse)
            path = commentary or default_path(report.la, report.quarter)
            if path.exists():
                typer.echo(f"error: {path} exists; not overwritten (edit it or move it away)", err=True)
                raise typer.Exit(1)
            write_draft(
                path,
                report.la,
                report.quarter,
                [(e.indicator.id, e.indicator.short_title, e.assessment.text) for e in report.exceptions],
            )
            typer.echo(f"commentary draft with {len(report.exceptions)} exception(s) written to {path}")
            return
        if out is None:
            typer.echo("error: give --out DIR for the report files", err=True)
            raise typer.Exit(2)
        report = build_report(quarter, la, role, warehouse)
        path = commentary or default_path(report.la, report.quarter)
        notes = load_commentary(path)
        apply_commentary(report, notes)
        written = write_report(report, out, pdf=pdf)
    except (ValueError, KeyError, FileNotFoundError, PermissionError, CommentaryError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{len(report.exceptions)} exception(s); commentary from {path if notes else 'none'}")
    typer.echo(f"wrote {written.html}")
    if written.pdf:
        typer.echo(f"wrote {written.pdf}")


@app.command()
def export(
    parquet: Annotated[Path, typer.Option("--parquet", help="New folder for the Parquet files.")],
    warehouse: WarehouseOpt = None,
) -> None:
    """Export the curated tables to Parquet, partitioned by la_code and year (manifest.json says how)."""
    from indicators import access
    from pipelines.export_parquet import export_parquet
    from vocabulary.settings import resolve_warehouse

    try:
        counts = export_parquet(
            resolve_warehouse(warehouse), parquet, access.current_scope(), keep_whole=access.PUBLIC_TABLES
        )
    except (FileExistsError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    for table, rows in counts.items():
        typer.echo(f"{table}\t{rows}")
    typer.echo(f"{len(counts)} tables, {sum(counts.values()):,} rows written to {parquet}")


@app.command()
def template(
    out: Annotated[Path, typer.Option(help="Where to write the return workbook (.xlsx).")],
    kind: Annotated[
        str, typer.Option(help="partner (quarterly measures), section11, audit or actions.")
    ] = "partner",
    agency: Annotated[
        str | None, typer.Option(help="Agency id from the partner measures file, e.g. police.")
    ] = None,
    quarter: Annotated[str | None, typer.Option(help="Financial quarter, e.g. 2026-27-Q2.")] = None,
    cycle: Annotated[str, typer.Option(help="s.11 cycle (financial year), e.g. 2026-27.")] = "2026-27",
) -> None:
    """Write a return workbook: an agency's quarterly measures, or an assurance return."""
    from pipelines.assurance_template import write_assurance_template
    from pipelines.partner_template import write_template
    from vocabulary.assurance import AssuranceConfigError
    from vocabulary.partners import PartnerConfigError

    try:
        if kind == "partner":
            if not agency or not quarter:
                raise ValueError("a partner return template needs --agency and --quarter")
            path = write_template(agency, quarter, out)
        else:
            path = write_assurance_template(kind, out, agency, cycle)
    except (KeyError, ValueError, PartnerConfigError, AssuranceConfigError) as exc:
        typer.echo(f"error: {exc.args[0] if exc.args else exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {path}")


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="safeguarding")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
