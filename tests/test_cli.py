"""The `yigong` command is a public contract: help, exit codes, one-line errors, manage passthrough."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import yigong
from yigong.cli import main
from yigong.config.env import local_secrets

SRC = Path(yigong.__file__).resolve().parent.parent


def run_cli(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess:
    """Run `python -m yigong …` as a user would, with its own YIGONG_HOME."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    environment.update(YIGONG_HOME=str(home), PYTHONPATH=str(SRC), **env)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "yigong", *args], capture_output=True, text=True, env=environment,
        timeout=120, check=False,
    )


@pytest.mark.parametrize("args", [["--help"], ["serve", "--help"], ["demo", "--help"], ["manage", "--help"]])
def test_help_is_printed_with_exit_code_0(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 0
    assert "usage: yigong" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "reason"), [
    ([], "the following arguments are required: COMMAND"),
    (["launch"], "invalid choice: 'launch'"),
    (["serve", "--port", "abc"], "expected a whole number, got 'abc'"),
    (["serve", "--port", "70000"], "a port must be at most 65535, got 70000"),
    (["serve", "--workers", "0"], "the number of workers must be at least 1, got 0"),
    (["serve", "--colour"], "unrecognized arguments: --colour"),
    (["demo", "--seed", "x"], "expected a whole number, got 'x'"),
    (["demo", "--volunteers", "-3"], "the number of volunteers must be at least 0, got -3"),
    (["demo", "--volunteers", "1000001"], "the number of volunteers must be at most 100000"),
])
def test_bad_arguments_exit_2_with_a_one_line_reason(args, reason, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("yigong")
    assert reason in captured.err


def test_an_unknown_host_exits_2_in_one_line(tmp_path):
    result = run_cli("serve", "--host", "no-such-host.invalid", home=tmp_path / "home")
    assert result.returncode == 2
    assert result.stderr == "yigong serve: error: --host no-such-host.invalid: not an address of this machine\n"


def test_a_port_in_use_is_refused_in_one_line_before_anything_starts(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), home=tmp_path / "home")
    assert result.returncode == 1
    assert result.stderr == f"yigong serve: error: port {port} on 127.0.0.1 is already in use; choose another with --port\n"
    assert not (tmp_path / "home" / "yigong.sqlite3").exists()


def test_a_bad_setting_in_the_environment_exits_2_in_one_line(tmp_path):
    result = run_cli("manage", "check", home=tmp_path / "home", YIGONG_DEBUG="maybe")
    assert result.returncode == 2
    assert result.stderr == "yigong: configuration error: YIGONG_DEBUG must be true or false, not 'maybe'\n"


def test_manage_passes_commands_and_their_arguments_to_django(capsys):
    assert main(["manage", "check", "--deploy", "--fail-level", "CRITICAL"]) == 0
    assert "(security.W004)" in capsys.readouterr().err  # a warning only --deploy gives


def test_manage_reports_django_errors_with_django_exit_codes(tmp_path):
    unknown = run_cli("manage", "no_such_command", home=tmp_path / "home")
    assert unknown.returncode == 1
    assert "Unknown command: 'no_such_command'" in unknown.stderr
    bad_option = run_cli("manage", "load_regions", home=tmp_path / "home")
    assert bad_option.returncode == 2
    assert "the following arguments are required: csv_file" in bad_option.stderr


def test_manage_help_of_a_django_command_is_django_s(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["manage", "load_regions", "--help"])
    assert exit_info.value.code == 0
    assert "Load regions from a CSV file" in capsys.readouterr().out


@pytest.mark.slow
def test_demo_refuses_a_database_that_already_has_data(tmp_path):
    home = tmp_path / "home"
    first = run_cli("demo", "--volunteers", "3", home=home)
    assert first.returncode == 0, first.stderr
    assert "yigong2010" in first.stdout
    second = run_cli("demo", "--volunteers", "3", home=home)
    assert second.returncode == 1
    assert second.stderr.startswith("yigong demo: error: the database already has organizations")
    assert second.stderr.count("\n") == 1


def test_secrets_are_generated_once_and_readable_by_the_owner_only(tmp_path):
    home = tmp_path / "new-home"
    first = local_secrets(home)
    path = home / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert set(first) == {"SECRET_KEY", "FIELD_ENCRYPTION_KEY", "FIELD_HASH_KEY", "CERTIFICATE_SIGNING_KEY"}
    assert len(set(first.values())) == 4
    assert local_secrets(home) == first  # not regenerated on the next start


def test_secrets_file_is_made_owner_only_again_and_keeps_its_keys(tmp_path):
    local_secrets(tmp_path)
    path = tmp_path / "secrets.json"
    kept = json.loads(path.read_text())
    path.chmod(0o644)
    assert local_secrets(tmp_path) == kept
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_missing_secret_is_added_without_changing_the_others(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps({"SECRET_KEY": "kept"}))
    secrets = local_secrets(tmp_path)
    assert secrets["SECRET_KEY"] == "kept"
    assert len(secrets["FIELD_ENCRYPTION_KEY"]) == 64
    assert json.loads(path.read_text()) == secrets
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
