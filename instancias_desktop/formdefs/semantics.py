"""Checks the schema cannot express: unique ids, conditions and rules that point to real items."""

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from instancias_desktop.domain.enums import Stage
from instancias_desktop.formdefs.errors import FormError
from instancias_desktop.formdefs.locate import LineIndex, Path
from instancias_desktop.formdefs.structure import where
from instancias_desktop.i18n import _

_RULE_STAGES = {Stage.CREATED, Stage.INSTALLED, Stage.FUNCTIONING, Stage.REACTIVATED}
_SCALE = {"si_parcial_no": ("si", "parcial", "no"), "si_no": ("si", "no")}


def _answers(item: Mapping[str, Any]) -> tuple[str, ...]:
    if item["answer"] == "opcion":
        return tuple(o["id"] for o in item.get("options", ()))
    return _SCALE[item["answer"]]


class _Checker:
    def __init__(self, data: Mapping[str, Any], file: str, lines: LineIndex) -> None:
        self.data = data
        self.file = file
        self.lines = lines
        self.errors: list[FormError] = []
        self.items: dict[str, tuple[Path, Mapping[str, Any]]] = {}  # the items checked so far
        self.all_ids = {i["id"] for s in data["sections"] for i in s["items"]}

    def add(self, path: Path, problem: str, fix: str) -> None:
        self.errors.append(
            FormError(self.file, self.lines.line_of(path), where(path), problem, fix)
        )

    def unique(self, path: Path, code: str, seen: dict[str, Path]) -> None:
        if code in seen:
            self.add(
                path,
                _("el identificador «{code}» ya se usó en la línea {line}.").format(
                    code=code, line=self.lines.line_of(seen[code])
                ),
                _("dé a cada uno un identificador propio: cambie uno de los dos."),
            )
        else:
            seen[code] = path

    def walk(self) -> Iterator[tuple[Path, Mapping[str, Any]]]:
        sections: dict[str, Path] = {}
        for s, section in enumerate(self.data["sections"]):
            self.unique(("sections", s, "id"), section["id"], sections)
            for i, item in enumerate(section["items"]):
                yield ("sections", s, "items", i), item

    def check(self) -> list[FormError]:
        seen: dict[str, Path] = {}
        for path, item in self.walk():
            self.unique((*path, "id"), item["id"], seen)
            self.check_options(path, item)
            self.check_condition(path, item)
            self.check_evidence(path, item)
            self.items.setdefault(item["id"], (path, item))
        self.check_bands()
        self.check_rules()
        if not any(item.get("weight", 0) for _path, item in self.items.values()):
            self.add(("sections",), _("todos los ítems pesan 0."), _("dé peso a algún ítem."))
        return self.errors

    def check_options(self, path: Path, item: Mapping[str, Any]) -> None:
        options = item.get("options")
        if item["answer"] == "opcion" and not options:
            self.add(
                (*path, "answer"),
                _("un ítem de tipo opcion necesita sus opciones."),
                _("agregue al menos dos tablas [[sections.items.options]] con id, label y credit."),
            )
        elif item["answer"] != "opcion" and options:
            self.add(
                (*path, "options"),
                _("solo los ítems de tipo opcion llevan opciones."),
                _("quite las opciones o cambie answer a «opcion»."),
            )
        seen: dict[str, Path] = {}
        for o, option in enumerate(options or ()):
            self.unique((*path, "options", o, "id"), option["id"], seen)

    def check_condition(self, path: Path, item: Mapping[str, Any]) -> None:
        when = item.get("when", {})
        target = when.get("item")
        if not target:
            return
        if target == item["id"] or target not in self.items:
            later = target in self.all_ids
            self.add(
                (*path, "when", "item"),
                (
                    _("la condición apunta al ítem «{code}», que no está antes de este.")
                    if later
                    else _("la condición apunta al ítem «{code}», que no existe en esta ficha.")
                ).format(code=target),
                _("escriba el id de un ítem anterior de esta ficha."),
            )
            return
        parent = self.items[target][1]
        answers = _answers(parent)
        worth = {code: self._credit(parent, code) for code in answers}
        if when.get("at_least") not in answers:
            self.add(
                (*path, "when", "at_least"),
                _("«{value}» no es una respuesta del ítem «{code}».").format(
                    value=when.get("at_least"), code=target
                ),
                _("use una de estas: {answers}.").format(answers=", ".join(answers)),
            )
        elif worth[when["at_least"]] <= 0:
            self.add(
                (*path, "when", "at_least"),
                _("«{value}» vale 0: la condición se cumpliría con cualquier respuesta.").format(
                    value=when["at_least"]
                ),
                _("use una respuesta que valga más que 0: {answers}.").format(
                    answers=", ".join(c for c in answers if worth[c] > 0)
                ),
            )

    def _credit(self, item: Mapping[str, Any], code: str) -> float:
        if item["answer"] == "opcion":
            return next(float(o["credit"]) for o in item.get("options", ()) if o["id"] == code)
        partial = float(self.data.get("partial_credit", 0.5))
        return {"si": 1.0, "parcial": partial}.get(code, 0.0)

    def check_evidence(self, path: Path, item: Mapping[str, Any]) -> None:
        answers = _answers(item)
        for position, code in enumerate(item.get("evidence", {}).get("required_when", ())):
            if code not in answers:
                self.add(
                    (*path, "evidence", "required_when", position),
                    _("«{value}» no es una respuesta de este ítem.").format(value=code),
                    _("use una de estas: {answers}.").format(answers=", ".join(answers)),
                )

    def check_bands(self) -> None:
        seen: dict[float, int] = {}
        for b, band in enumerate(self.data["bands"]):
            if band["min"] in seen:
                self.add(
                    ("bands", b, "min"),
                    _("dos tramos empiezan en {value}.").format(value=band["min"]),
                    _("cada tramo necesita un mínimo distinto."),
                )
            seen[band["min"]] = b
        if 0 not in seen:
            self.add(
                ("bands",),
                _("ningún tramo empieza en 0."),
                _("agregue un tramo con min = 0 para los puntajes más bajos."),
            )

    def check_rules(self) -> None:
        order = [stage.value for stage in Stage]
        rules = self.data.get("stage_rules", ())
        for r, (before, rule) in enumerate(itertools.pairwise(rules), start=1):
            if order.index(rule["stage"]) <= order.index(before["stage"]):
                self.add(
                    ("stage_rules", r, "stage"),
                    _("la regla de «{stage}» va después de la de «{before}».").format(
                        stage=rule["stage"], before=before["stage"]
                    ),
                    _("ordene las reglas como el ciclo de vida: {order}.").format(
                        order=", ".join(s for s in order if s in _RULE_STAGES)
                    ),
                )
        for r, rule in enumerate(rules):
            for position, code in enumerate(rule["requires"]):
                if code not in self.items:
                    self.add(
                        ("stage_rules", r, "requires", position),
                        _("la regla pide el ítem «{code}», que no existe en esta ficha.").format(
                            code=code
                        ),
                        _("escriba el id de un ítem de esta ficha."),
                    )


def check_semantics(data: Mapping[str, Any], file: str, lines: LineIndex) -> list[FormError]:
    """Cross-references of a definition whose structure is already valid."""
    return _Checker(data, file, lines).check()
