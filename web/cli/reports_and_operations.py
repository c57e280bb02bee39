"""CLI commands beyond the core set: reports, document verification, backup, benchmarks (DESIGN §7)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlmodel import Session

from workflow.errors import DomainError


def _database():
    from db.engine import open_database

    return open_database()


def _resolve_period(session: Session, args: argparse.Namespace):
    """(campaign, start, end): --campaign, else the campaign of --from, else today's; without --from/--to, the
    campaign's own period."""
    from db.campaigns import report_campaign
    from workflow.clock import Clock

    start = dt.date.fromisoformat(args.date_from) if args.date_from else None
    end = dt.date.fromisoformat(args.date_to) if args.date_to else None
    campaign = report_campaign(session, key=args.campaign, date_from=start or end, today=Clock().today())
    start, end = start or campaign.starts_on, end or campaign.ends_on
    if end < start:
        raise ValueError("--to 不能早于 --from")
    return campaign, start, end


def _resolve_unit(session: Session, key: str | None):
    from db.queries import find_unit

    if not key:
        return None
    unit = find_unit(session, key)
    if unit is None:
        raise ValueError(f"没有代码或名称为“{key}”的单位")
    return unit


def build_report(session: Session, kind: str, unit, start: dt.date, end: dt.date, fmt: str, campaign=None) -> bytes:
    """One report as bytes. Shared by the CLI and the web routes."""
    from web.reports import render_report
    from workflow.clock import Clock

    return render_report(session, kind, unit, start, end, fmt, today=Clock().today(), campaign=campaign)


def cmd_report(args: argparse.Namespace) -> int:
    database = _database()
    try:
        with Session(database.reader) as session:
            unit = _resolve_unit(session, args.unit)
            campaign, start, end = _resolve_period(session, args)
            data = build_report(session, args.kind, unit, start, end, args.format, campaign)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"错误：{exc.detail}", file=sys.stderr)
        return 2
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    print(f"已生成 {output}（{len(data)} 字节）")
    return 0


def cmd_documents_verify(args: argparse.Namespace) -> int:
    from documents.store import PdfStore
    from web.integrity import verify_record
    from web.settings import load_settings

    report = verify_record(_database(), PdfStore(load_settings().pdf_dir), workers=args.workers)
    for fault in report.faults:
        print(fault, file=sys.stderr)
    print("\n".join(report.summary()))
    return 0 if report.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from web.settings import load_settings

    target = Path(args.dir)
    target.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    database = _database()
    url = make_url(database.url)
    if url.get_backend_name() == "sqlite":
        destination = target / f"hazardtrack-{stamp}.sqlite3"
        source = sqlite3.connect(url.database)
        copy = sqlite3.connect(destination)
        with copy:
            source.backup(copy)  # a consistent online copy, even while the server writes
        copy.close()
        source.close()
    else:
        destination = target / f"hazardtrack-{stamp}.dump"
        libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
        result = subprocess.run(["pg_dump", "--format=custom", "--file", str(destination), libpq])
        if result.returncode != 0:
            print("错误：pg_dump 失败", file=sys.stderr)
            return 1
    pdf_dir = load_settings().pdf_dir
    if pdf_dir.exists():
        shutil.copytree(pdf_dir, target / "pdf", dirs_exist_ok=True)  # content-addressed: copying is incremental
    print(f"已备份数据库到 {destination}，文书 PDF 到 {target / 'pdf'}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from bench import run_benchmarks

    results = run_benchmarks(quick=args.quick, items=args.items)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


def register(sub) -> None:
    p = sub.add_parser("report", help="生成报表（问题清单、附件2 统计表、附件1 典型案例台账）")
    p.add_argument("kind", choices=["statistics", "ledger", "issues"])
    p.add_argument("--unit", help="单位代码或全称；省略为全市")
    p.add_argument("--from", dest="date_from", help="起始日期 YYYY-MM-DD；省略为专项行动开始")
    p.add_argument("--to", dest="date_to", help="截止日期 YYYY-MM-DD；省略为专项行动结束")
    p.add_argument("--campaign", help="专项行动代码（如 campaign_2023）；省略为数据周期起始日所属的专项行动")
    p.add_argument("--format", choices=["pdf", "xlsx", "json"], default="pdf")
    p.add_argument("--output", required=True)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("documents", help="文书")
    documents_sub = p.add_subparsers(dest="documents_command", required=True)
    v = documents_sub.add_parser("verify", help="核验历史记录链、文书快照与 PDF 文件，补生成尚未生成的文书")
    v.add_argument("--workers", type=int, help="并行生成 PDF 的进程数（默认：CPU 核数）")
    v.set_defaults(func=cmd_documents_verify)

    p = sub.add_parser("backup", help="备份数据库和文书 PDF 到目录")
    p.add_argument("dir")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("bench", help="性能基准（与同次运行测得的基线之比）")
    p.add_argument("--quick", action="store_true", help="小规模快速运行")
    p.add_argument("--json", action="store_true", help="另以 JSON 输出结果")
    p.add_argument("--items", type=int, help="隐患条数（默认 50000；--quick 为 2000）")
    p.set_defaults(func=cmd_bench)

