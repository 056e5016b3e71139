"""An error in a definition file: where it is, what is wrong, and how to fix it (in Spanish)."""

from dataclasses import dataclass

from instancias_desktop.i18n import _


@dataclass(frozen=True, order=True)
class FormError:
    """One problem of a definition, reported as ``file:line: where: problem Corrección: fix``."""

    file: str
    line: int
    where: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return _("{file}:{line}: {where}: {problem} Corrección: {fix}").format(
            file=self.file, line=self.line, where=self.where, problem=self.problem, fix=self.fix
        )


class FormDefinitionError(ValueError):
    """A definition that cannot be used; every problem found is listed."""

    def __init__(self, errors: list[FormError]) -> None:
        self.errors = tuple(sorted(errors))
        super().__init__("\n".join(str(e) for e in self.errors))
