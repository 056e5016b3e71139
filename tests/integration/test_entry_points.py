import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60, check=False)


def test_module_and_console_script_start_the_same_program() -> None:
    for command in (
        [sys.executable, "-m", "instancias_desktop"],
        [str(BIN / "instancias-desktop")],
    ):
        result = run(*command, "--version")
        assert (result.returncode, result.stdout.strip()) == (0, "instancias-desktop 0.1.0")


def test_help_is_in_spanish_and_names_the_data_folder_options() -> None:
    result = run(sys.executable, "-m", "instancias_desktop", "--help")
    assert result.returncode == 0
    assert "--data-dir" in result.stdout
    assert "carpeta del perfil" in result.stdout and "INSTANCIAS_HOME" in result.stdout


def test_demo_rejects_negative_sizes_with_a_spanish_message(tmp_path: Path) -> None:
    result = run(str(BIN / "instancias-demo"), "--data-dir", str(tmp_path), "--visits", "-3")
    assert result.returncode == 2
    assert "las cantidades no pueden ser negativas" in result.stderr
