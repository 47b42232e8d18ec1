"""The `yigong` command: serve, demo, seed, manage, ledger (a public contract; see README).

Exit codes: 0 success, 1 the command could not do its work (one line says why), 2 bad arguments
or configuration (one line says which), 130 interrupted before serving began.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys

from django.core.exceptions import ImproperlyConfigured

MAX_DEMO_VOLUNTEERS = 100_000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one-line reason, exit code 2
        self.exit(2, f"{self.prog}: error: {message}\n")


class CommandFailed(Exception):
    """A one-line reason to stop with exit code 1 (or `code`)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def _whole(value: str, *, low: int, high: int | None = None, what: str = "a number") -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < low:
        raise argparse.ArgumentTypeError(f"{what} must be at least {low}, got {number}")
    if high is not None and number > high:
        raise argparse.ArgumentTypeError(f"{what} must be at most {high}, got {number}")
    return number


def _port(value: str) -> int:
    return _whole(value, low=1, high=65535, what="a port")


def _workers(value: str) -> int:
    return _whole(value, low=1, high=64, what="the number of workers")


def _seed(value: str) -> int:
    return _whole(value, low=0, what="the seed")


def _count(value: str) -> int:
    return _whole(value, low=0, what="the number")


def _volunteers(value: str) -> int:
    return _whole(value, low=0, high=MAX_DEMO_VOLUNTEERS, what="the number of volunteers")


def build_parser() -> argparse.ArgumentParser:
    from yigong import __version__

    parser = _Parser(
        prog="yigong", description="Yigong (义工) volunteer-service platform.",
        epilog="Configuration comes from the environment (YIGONG_HOME, DATABASE_URL, …; see README).",
    )
    parser.add_argument("--version", action="version", version=f"yigong {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    serve = sub.add_parser(
        "serve", help="run the platform with a production WSGI server (gunicorn)",
        description="Apply migrations, collect static files, then serve with gunicorn. Ctrl-C stops.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=_workers, default=None,
                       help="worker processes (default: 2 × CPU cores, at most 8)")
    serve.add_argument("--demo", action="store_true",
                       help="create the demo district if the database is empty, and print the demo logins")

    demo = sub.add_parser(
        "demo", help="fill an empty database with a realistic, reproducible demo district",
        description="Create the demo district (Longgang: streets, communities, organizations, "
                    "volunteers) in an empty database and print one login per role.",
    )
    demo.add_argument("--seed", type=_seed, default=2010,
                      help="random seed; the same seed gives the same district (default 2010)")
    demo.add_argument("--volunteers", type=_volunteers, default=2000,
                      help=f"number of generated volunteers, 0–{MAX_DEMO_VOLUNTEERS} (default 2000)")

    seed = sub.add_parser(
        "seed", help="add city-scale benchmark data (bulk inserts, a ledger chain that verifies)",
        description="Add volunteers, organizations, activities and confirmed ledger entries quickly and "
                    "reproducibly, for benchmarks (bench/, docs/PERFORMANCE.md). Adds to what is there.",
    )
    seed.add_argument("--volunteers", type=_count, default=100_000, help="volunteers (default 100000)")
    seed.add_argument("--organizations", type=_count, default=1_000, help="organizations (default 1000)")
    seed.add_argument("--activities", type=_count, default=20_000, help="activities (default 20000)")
    seed.add_argument("--entries", type=_count, default=1_000_000, help="ledger entries (default 1000000)")
    seed.add_argument("--seed", type=_seed, default=2010, help="random seed (default 2010)")

    manage = sub.add_parser(
        "manage", help="run a Django management command (e.g. createsuperuser, load_regions FILE)",
        description="Run any Django management command with Yigong's settings: "
                    "yigong manage COMMAND [ARGS…]; `yigong manage help` lists them.",
    )
    manage.add_argument("args", nargs=argparse.REMAINDER, metavar="COMMAND [ARGS…]",
                        help="the management command and its arguments")

    ledger = sub.add_parser("ledger", help="check the service-hour ledger (yigong ledger verify)",
                            description="Tools for the hash-chained service-hour ledger.")
    ledger_actions = ledger.add_subparsers(dest="ledger_action", metavar="ACTION", parser_class=_Parser)
    ledger_actions.required = True
    verify = ledger_actions.add_parser(
        "verify", help="walk every district chain; exit 1 naming entries altered, removed or inserted",
        description="Walk each district's hash chain of service records in order. Prints a summary when "
                    "intact; exits 1 naming every entry that was altered, removed or inserted behind "
                    "the application's back.",
    )
    verify.add_argument("--district", default="", help="check only this district's chain (its code)")
    return parser


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigong.config.settings")
    import django

    django.setup()


def _describe_database() -> str:
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "local socket"
    return f"{connection.display_name} database {settings_dict['NAME']!r} on {host}"


def _migrate() -> None:
    from django.core.management import call_command
    from django.db.utils import OperationalError

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CommandFailed(f"cannot use the database ({_describe_database()}): {first_line}") from exc


def _build_demo(*, seed: int, volunteers: int) -> None:
    from yigong.demo.builder import build_demo

    print(f"Creating the demo district (seed {seed}, {volunteers} volunteers)…", file=sys.stderr, flush=True)
    result = build_demo(seed=seed, volunteers=volunteers, progress=True)
    _print_logins(result.logins)


def _print_logins(logins) -> None:
    if not logins:
        return
    print(f"\nDemo logins — the password for all of them is: {logins[0].password}")
    for login in logins:
        where = f"  ({login.where})" if login.where else ""
        print(f"  {login.username:<12} {login.role}{where}")
    sys.stdout.flush()


def cmd_demo(args) -> int:
    _setup_django()
    _migrate()
    from yigong.demo.builder import database_is_empty

    if not database_is_empty():
        raise CommandFailed(
            f"the database already has organizations ({_describe_database()}); "
            "the demo only fills an empty database (set YIGONG_HOME to a new folder)"
        )
    _build_demo(seed=args.seed, volunteers=args.volunteers)
    return 0


def _check_address(host: str, port: int) -> None:
    """Fail early, in one line, if the address cannot be listened on (instead of gunicorn retrying)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise CommandFailed(f"--host {host}: not an address of this machine", code=2) from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandFailed(f"port {port} on {host} is already in use; choose another with --port") from None
            raise CommandFailed(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def cmd_serve(args) -> int:
    _check_address(args.host, args.port)
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    print(f"Yigong — data in {settings.YIGONG_HOME}; database: {_describe_database()}", flush=True)
    _migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.demo:
        from yigong.demo.builder import database_is_empty, demo_logins

        if database_is_empty():
            _build_demo(seed=2010, volunteers=2000)
        elif logins := demo_logins():
            _print_logins(logins)
        else:
            print("The database already has data that is not the demo's; no demo was added.", flush=True)

    workers = args.workers or min(8, 2 * (os.cpu_count() or 1))
    shown_host = "localhost" if args.host in ("127.0.0.1", "0.0.0.0", "::", "::1") else args.host  # noqa: S104
    bind = f"[{args.host}]:{args.port}" if ":" in args.host else f"{args.host}:{args.port}"
    print(f"\nServing on http://{shown_host}:{args.port}/ with {workers} workers — press Ctrl-C to stop.",
          flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1") and not os.environ.get("YIGONG_ALLOWED_HOSTS"):
        print("Note: set YIGONG_ALLOWED_HOSTS to the names this server is reached by "
              "(only localhost is allowed now).", flush=True)
    connections.close_all()
    # gunicorn takes over this process: Ctrl-C (SIGINT) and SIGTERM stop it cleanly with exit code 0.
    command = [
        sys.executable, "-m", "gunicorn", "yigong.config.wsgi:application",
        "--bind", bind, "--workers", str(workers), "--worker-class", "gthread", "--threads", "4",
        "--access-logfile", "-", "--graceful-timeout", "10", "--timeout", "60",
        "--name", "yigong", "--no-control-socket",
    ]
    os.environ["YIGONG_HOME"] = str(settings.YIGONG_HOME)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigong.config.settings")
    os.execv(sys.executable, command)  # noqa: S606 - our own interpreter and arguments
    return 0  # not reached


def cmd_seed(args) -> int:
    _setup_django()
    _migrate()
    from django.core.management import CommandError, call_command

    try:
        call_command("seed_scale", volunteers=args.volunteers, organizations=args.organizations,
                     activities=args.activities, entries=args.entries, seed=args.seed)
    except CommandError as exc:
        raise CommandFailed(str(exc)) from None
    return 0


def cmd_manage(args) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yigong manage", *args.args])
    return 0


def cmd_ledger(args) -> int:
    """`yigong ledger verify`: the ledger_verify management command; its exit code is ours."""
    _setup_django()
    from django.core.management import CommandError, call_command
    from django.db import DatabaseError

    try:
        call_command("ledger_verify", district=args.district)
    except CommandError as exc:
        print(f"yigong ledger verify: {exc}", file=sys.stderr)
        return exc.returncode
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CommandFailed(f"cannot read the ledger ({_describe_database()}): {first_line}") from exc
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = {"serve": cmd_serve, "demo": cmd_demo, "seed": cmd_seed, "manage": cmd_manage,
               "ledger": cmd_ledger}[args.command]
    try:
        return handler(args)
    except CommandFailed as exc:
        print(f"yigong {args.command}: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print(f"\nyigong {args.command}: interrupted.", file=sys.stderr)
        return 130
    except ImproperlyConfigured as exc:
        print(f"yigong: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
