"""Every area a page follows is announced by something: a page never waits for news in vain."""

import ast
from pathlib import Path

import pytest

from instancias_desktop.ui.areas import Area
from instancias_desktop.ui.ops import declared

UI = Path(__file__).resolve().parents[2] / "instancias_desktop" / "ui"


def _areas_in(node: ast.AST, constants: dict[str, set[Area]]) -> set[Area]:
    """The Area members an expression names, through the module's constants."""
    found: set[Area] = set()
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Attribute)
            and isinstance(child.value, ast.Name)
            and child.value.id == "Area"
        ):
            found.add(Area[child.attr])
        elif isinstance(child, ast.Name) and child.id in constants:
            found |= constants[child.id]
    return found


def _calls() -> tuple[set[Area], set[Area], list[str]]:
    """(followed, announced, string literals passed as areas) over the ui package."""
    followed: set[Area] = set()
    announced: set[Area] = set()
    strays: list[str] = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: _areas_in(node.value, {})
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if node.func.attr == "follow" and len(node.args) >= 2:
                argument = node.args[1]
                followed |= _areas_in(argument, constants)
            elif node.func.attr == "announce" and node.args:
                argument = node.args[0]
                announced |= _areas_in(argument, constants)
            else:
                continue
            strays += [
                f"{path.name}:{c.lineno}"
                for c in ast.walk(argument)
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            ]
    return followed, announced, strays


def test_every_followed_area_is_announced_somewhere_and_none_is_a_bare_string() -> None:
    followed, announced, strays = _calls()
    assert followed, "the scan found no page following anything"
    assert not followed - announced, f"followed, never announced: {followed - announced}"
    assert not strays, strays


def test_a_misspelt_area_is_refused_at_once() -> None:
    with pytest.raises(TypeError, match="not declared change areas"):
        declared({"visitas"})  # type: ignore[arg-type]
    assert declared([Area.VISITS, Area.VISITS]) == frozenset({Area.VISITS})
