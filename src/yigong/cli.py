"""The `yigong` command: serve, demo, manage (a public contract; see README)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one-line reason, exit code 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {number}")
    return number


def _port(value: str) -> int:
    number = _positive(value)
    if number > 65535:
        raise argparse.ArgumentTypeError(f"a port is at most 65535, got {number}")
    return number


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a number of at least 0, got {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="yigong", description="Yigong (义工) volunteer-service platform.")
    parser.add_argument("--version", action="version", version=f"yigong {__import__('yigong').__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    serve = sub.add_parser("serve", help="run the platform with a production WSGI server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=_positive, default=None,
                       help="worker processes (default: 2 × CPU cores, at most 8)")
    serve.add_argument("--demo", action="store_true",
                       help="create the demo district if the database is empty and print demo logins")

    demo = sub.add_parser("demo", help="create a realistic, reproducible demo district")
    demo.add_argument("--seed", type=_count, default=2010, help="random seed (default 2010)")
    demo.add_argument("--volunteers", type=_count, default=2000, help="number of volunteers (default 2000)")
    demo.add_argument("--force", action="store_true", help="add the demo even if the database has data")

    manage = sub.add_parser("manage", help="run a Django management command", add_help=True)
    manage.add_argument("args", nargs=argparse.REMAINDER, help="the management command and its arguments")
    return parser


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigong.config.settings")
    import django

    django.setup()


def _prepare_database(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def cmd_demo(args) -> int:
    _setup_django()
    _prepare_database()
    from yigong.demo.builder import build_demo, database_is_empty

    if not database_is_empty() and not args.force:
        print("yigong demo: the database already has data; use --force to add the demo anyway",
              file=sys.stderr)
        return 1
    result = build_demo(seed=args.seed, volunteers=args.volunteers, progress=True)
    _print_logins(result.logins)
    return 0


def _print_logins(logins) -> None:
    print("\nDemo logins (password for all: {}):".format(logins[0].password if logins else "-"))
    for login in logins:
        print(f"  {login.role:<28} {login.username}")


def cmd_serve(args) -> int:
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    _prepare_database(verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.demo:
        from yigong.demo.builder import build_demo, database_is_empty, demo_logins

        if database_is_empty():
            print("Creating the demo district (first start only)…", flush=True)
            build_demo(seed=2010, volunteers=2000, progress=True)
        _print_logins(demo_logins())
    workers = args.workers or min(8, 2 * (os.cpu_count() or 1))
    address = f"http://{'localhost' if args.host in ('127.0.0.1', '0.0.0.0') else args.host}:{args.port}/"
    print(f"\nYigong is serving on {address}  (data in {settings.YIGONG_HOME}; Ctrl-C stops)", flush=True)
    command = [
        sys.executable, "-m", "gunicorn", "yigong.config.wsgi:application",
        "--bind", f"{args.host}:{args.port}", "--workers", str(workers),
        "--worker-class", "gthread", "--threads", "4",
        "--access-logfile", "-", "--graceful-timeout", "10", "--timeout", "60",
    ]
    env = dict(os.environ, YIGONG_HOME=str(settings.YIGONG_HOME))
    process = subprocess.Popen(command, env=env)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        print("\nYigong stopped.")
        return 0


def cmd_manage(args) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yigong manage", *args.args])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = {"serve": cmd_serve, "demo": cmd_demo, "manage": cmd_manage}[args.command]
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
