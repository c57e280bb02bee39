"""The `hazardtrack` command line (DESIGN §7)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path


def _database():
    from db.engine import open_database

    return open_database()


def cmd_init(args: argparse.Namespace) -> int:
    from db.engine import migration_url
    from db.setup import initialise

    database = _database()
    added = initialise(database, migration_url())
    if any(added.values()):
        print("已初始化：" + "，".join(f"{k} +{v}" for k, v in added.items()))
    else:
        print("数据库已是最新，无需更改。")
    return 0


def cmd_load_campaign(args: argparse.Namespace) -> int:
    from db.setup import load_campaign
    from workflow.errors import InputInvalid

    try:
        added = load_campaign(_database(), Path(args.file))
    except InputInvalid as exc:
        print(f"错误：专项行动文件 {args.file} 未载入，共 {len(exc.fields)} 处问题：", file=sys.stderr)
        for field, message in exc.fields.items():
            print(f"  {field}：{message}", file=sys.stderr)
        return 1
    if added["campaigns"]:
        print(f"已载入专项行动：产品类别 {added['categories']} 个，重点问题和来源 {added['terms']} 个。")
    else:
        print("该专项行动已载入，内容相同，无需更改。")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from demo import load_demo
    from db.engine import migration_url
    from db.setup import initialise

    database = _database()
    initialise(database, migration_url())
    summary = load_demo(database, seed=args.seed)
    print(summary.describe())
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    from db.uow import SqlUnitOfWork
    from workflow.accounts import create_user
    from workflow.clock import Clock
    from workflow.errors import DomainError

    if sys.stdin.isatty():
        password = getpass.getpass("密码：")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create_user(SqlUnitOfWork(_database()), username=args.username, password=password, role=args.role,
                           unit=args.unit, full_name=args.name, now=Clock().now())
    except DomainError as exc:
        print(f"错误：{_message(exc)}", file=sys.stderr)
        return 2
    print(f"已创建用户 {user.username}（{user.role}）")
    return 0


def _message(exc) -> str:
    """A domain error as one line: the field messages when there are some, else the detail."""
    fields = getattr(exc, "fields", None)
    return "；".join(fields.values()) if fields else exc.detail


def cmd_import_enterprises(args: argparse.Namespace) -> int:
    from db.uow import SqlUnitOfWork
    from workflow.clock import Clock
    from workflow.enterprise_rows import MAX_FILE_BYTES, format_errors
    from workflow.enterprises import import_enterprises

    path = Path(args.file)
    if not path.is_file():
        print(f"错误：找不到文件 {path}", file=sys.stderr)
        return 2
    if path.stat().st_size > MAX_FILE_BYTES:  # refused before it is read, as the upload page does
        print(f"导入失败，未导入任何企业：文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 上限", file=sys.stderr)
        return 1
    result = import_enterprises(SqlUnitOfWork(_database()), path.name, path.read_bytes(), Clock().now())
    if not result.ok:
        print(f"导入失败，未导入任何企业。共 {result.total_errors} 处错误：", file=sys.stderr)
        print(format_errors(result.errors, result.total_errors), file=sys.stderr)
        return 1
    print(f"已导入 {result.imported} 家企业。")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from web.app import create_app

    # Our logging (web.logging_setup) is already configured and web.request_log writes the access line: uvicorn
    # neither reconfigures logging (its records propagate to our handler) nor writes its own access log.
    # proxy_headers off: uvicorn would believe X-Forwarded-For from 127.0.0.1; the app decides whom to believe
    # (HAZARDTRACK_TRUSTED_PROXIES, web/auth.py _address).
    uvicorn.run(create_app(), host=args.host, port=args.port, log_config=None, access_log=False,
                proxy_headers=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hazardtrack", description="重点工业产品质量安全隐患排查治理 案件管理系统")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="启动网站")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("init", help="迁移数据库并载入单位与专项行动目录（可重复运行）")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("load-campaign", help="载入另一个专项行动文件（格式同 db/reference/campaign_2023.json；可重复运行）")
    p.add_argument("file")
    p.set_defaults(func=cmd_load_campaign)

    p = sub.add_parser("demo", help="载入演示数据")
    p.add_argument("--seed", type=int, default=2023)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("create-user", help="创建用户（密码从标准输入读取）")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=["handler", "leader", "supervisor", "admin"])
    p.add_argument("--unit", help="单位代码（如 310115）或全称")
    p.add_argument("--name", help="姓名")
    p.set_defaults(func=cmd_create_user)

    p = sub.add_parser("import-enterprises", help="从 XLSX/CSV 导入企业（全部成功或全部不导入）")
    p.add_argument("file")
    p.set_defaults(func=cmd_import_enterprises)

    from web.cli.reports_and_operations import register  # reports, documents, backup, bench

    register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from web.logging_setup import configure

    configure()
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
