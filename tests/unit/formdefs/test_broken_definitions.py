"""Broken definitions are reported in full: file, line of the offending key, place, problem, fix."""

import tomllib
from collections.abc import Sequence
from pathlib import Path

import pytest

from instancias_desktop.formdefs.errors import FormDefinitionError
from instancias_desktop.formdefs.library import FormLibrary
from instancias_desktop.paths import forms_dir

IDC = "funcionamiento_idc"
IRC = "funcionamiento_irc"
IDC_FILE = f"forms/{IDC}/v1.toml"
IRC_FILE = f"forms/{IRC}/v1.toml"


def _write(
    root: Path,
    form: str,
    edits: Sequence[tuple[str, str]] = (),
    *,
    folder: str | None = None,
    name: str = "v1.toml",
) -> tuple[Path, str]:
    """A copy of the real v1 of ``form`` with each (old, new) edit made; old must be there once."""
    text = (forms_dir() / form / "v1.toml").read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} is not written exactly once in {form}/v1.toml"
        text = text.replace(old, new)
    path = root / (folder or form) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, text


def _lines(text: str, written: str) -> list[int]:
    """The numbers of the lines that are exactly ``written``."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if line == written]


def _line(text: str, written: str) -> int:
    [number] = _lines(text, written)
    return number


def _errors(root: Path) -> list[str]:
    return [str(error) for error in FormLibrary(root).check_all()]


def test_a_missing_item_id_names_the_header_of_its_item(empty_forms: Path) -> None:
    _, text = _write(empty_forms, IDC, [('id = "presidencia"\n', "")])
    header = -1 + _line(
        text, 'text = "La preside la máxima autoridad (alcalde/sa distrital), sin delegación"'
    )
    assert text.splitlines()[header - 1] == "[[sections.items]]"
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{header}: sección 1, ítem 2: falta la clave «id». Corrección: agregue"
        " id = … (el identificador del ítem; no lo cambie entre versiones si el ítem significa"
        " lo mismo)."
    ]


def test_a_duplicate_item_id_names_the_line_where_it_was_first_used(empty_forms: Path) -> None:
    _, text = _write(empty_forms, IDC, [('id = "presidencia"', 'id = "norma_creacion"')])
    first, again = _lines(text, 'id = "norma_creacion"')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{again}: sección 1, ítem 2, id: el identificador «norma_creacion» ya se usó"
        f" en la línea {first}. Corrección: dé a cada uno un identificador propio: cambie uno de"
        " los dos."
    ]


def test_an_unknown_answer_type_lists_the_valid_ones(empty_forms: Path) -> None:
    _, text = _write(
        empty_forms, IDC, [('answer = "si_no"\nweight = 3', 'answer = "si_o_no"\nweight = 3')]
    )
    line = _line(text, 'answer = "si_o_no"')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: sección 2, ítem 5, answer: «answer» tiene el valor «si_o_no», que no"
        " es válido. Corrección: use uno de estos valores: si_parcial_no, si_no, opcion."
    ]


def test_a_condition_on_an_item_that_does_not_exist_is_reported(empty_forms: Path) -> None:
    _, text = _write(empty_forms, IDC, [('when.item = "instalacion"', 'when.item = "instalado"')])
    line = _line(text, 'when.item = "instalado"')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: sección 1, ítem 6, when.item: la condición apunta al ítem"
        " «instalado», que no existe en esta ficha. Corrección: escriba el id de un ítem anterior"
        " de esta ficha."
    ]


def test_a_condition_on_a_later_item_is_reported(empty_forms: Path) -> None:
    _, text = _write(
        empty_forms, IDC, [('when.item = "instalacion"', 'when.item = "reglamento_interno"')]
    )
    line = _line(text, 'when.item = "reglamento_interno"')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: sección 1, ítem 6, when.item: la condición apunta al ítem"
        " «reglamento_interno», que no está antes de este. Corrección: escriba el id de un ítem"
        " anterior de esta ficha."
    ]


def test_a_condition_on_the_item_itself_is_not_an_earlier_item(empty_forms: Path) -> None:
    _, text = _write(
        empty_forms, IDC, [('when.item = "instalacion"', 'when.item = "reinstalacion"')]
    )
    line = _line(text, 'when.item = "reinstalacion"')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: sección 1, ítem 6, when.item: la condición apunta al ítem"
        " «reinstalacion», que no está antes de este. Corrección: escriba el id de un ítem"
        " anterior de esta ficha."
    ]


def test_when_at_least_must_be_an_answer_of_the_referenced_item(empty_forms: Path) -> None:
    _, text = _write(empty_forms, IDC, [('when.at_least = "si"', 'when.at_least = "parcial"')])
    line = _line(text, 'when.at_least = "parcial"')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: sección 1, ítem 6, when.at_least: «parcial» no es una respuesta del"
        " ítem «instalacion». Corrección: use una de estas: si, no."
    ]


def test_when_at_least_of_a_choice_item_lists_its_option_ids(empty_forms: Path) -> None:
    _, text = _write(
        empty_forms,
        IRC,
        [
            (
                'when.item = "observatorio"\nwhen.at_least = "si"',
                'when.item = "integrantes"\nwhen.at_least = "diseno"',
            )
        ],
    )
    line = _line(text, 'when.at_least = "diseno"')
    assert _errors(empty_forms) == [
        f"{IRC_FILE}:{line}: sección 4, ítem 2, when.at_least:"
        " «diseno» no es una respuesta del ítem «integrantes». Corrección: use una de estas: si,"
        " parcial, no."
    ]


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            'weight = 6\nbasis = "Ordenanzas de creación"',
            'weight = 12\nbasis = "Ordenanzas de creación"',
            "sección 1, ítem 4",
        ),
        ("weight = 3", "weight = -1", "sección 2, ítem 5"),
    ],
    ids=["12", "-1"],
)
def test_a_weight_out_of_range_names_its_line_and_the_range(
    empty_forms: Path, old: str, new: str, where: str
) -> None:
    _, text = _write(empty_forms, IDC, [(old, new)])
    written = new.splitlines()[0]
    value = written.removeprefix("weight = ")
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{_line(text, written)}: {where}, weight: «weight» = {value} está fuera del"
        " rango permitido. Corrección: use un número entero entre 0 y 10."
    ]


def test_an_unknown_key_names_its_own_line_and_the_allowed_keys(empty_forms: Path) -> None:
    _, text = _write(
        empty_forms,
        IDC,
        [('help = "La presidencia no se delega."', 'hepl = "La presidencia no se delega."')],
    )
    line = _line(text, 'hepl = "La presidencia no se delega."')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: sección 1, ítem 2: la clave «hepl» no existe en el esquema."
        " Corrección: revise cómo está escrita; las claves permitidas aquí son: answer,"
        " assumption, basis, evidence, help, id, not_applicable, options, text, weight, when."
    ]


def test_a_toml_syntax_error_takes_its_line_from_tomllib(empty_forms: Path) -> None:
    _, text = _write(empty_forms, IDC, [("weight = 3", "weight = = 3")])
    line = _line(text, "weight = = 3")
    with pytest.raises(tomllib.TOMLDecodeError) as toml_error:
        tomllib.loads(text)
    assert f"(at line {line}, column 10)" in str(toml_error.value)
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: sintaxis: el archivo no es TOML válido ({toml_error.value})."
        " Corrección: revise esa línea: comillas, corchetes y el signo = entre la clave y el"
        " valor."
    ]


def test_evidence_required_for_an_answer_the_item_does_not_offer(empty_forms: Path) -> None:
    _, text = _write(
        empty_forms,
        IDC,
        [
            (
                'evidence.required_when = ["si"]\nevidence.types = ["Decreto',
                'evidence.required_when = ["no", "parcial"]\nevidence.types = ["Decreto',
            )
        ],
    )
    line = _line(text, 'evidence.required_when = ["no", "parcial"]')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: sección 2, ítem 1, evidence.required_when[2]: «parcial» no es una"
        " respuesta de este ítem. Corrección: use una de estas: si, no."
    ]


def test_a_choice_item_without_options_is_reported_on_its_answer(empty_forms: Path) -> None:
    _, text = _write(
        empty_forms, IDC, [('answer = "si_no"\nweight = 3', 'answer = "opcion"\nweight = 3')]
    )
    line = _line(text, 'answer = "opcion"')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: sección 2, ítem 5, answer: un ítem de tipo opcion necesita sus"
        " opciones. Corrección: agregue al menos dos tablas [[sections.items.options]] con id,"
        " label y credit."
    ]


def test_options_on_an_item_that_is_not_a_choice_name_the_options_line(
    empty_forms: Path,
) -> None:
    _, text = _write(empty_forms, IRC, [('answer = "opcion"', 'answer = "si_no"')])
    first_option = _lines(text, "[[sections.items.options]]")[0]
    assert _errors(empty_forms) == [
        f"{IRC_FILE}:{first_option}: sección 4, ítem 2, options: solo los ítems de tipo opcion"
        " llevan opciones. Corrección: quite las opciones o cambie answer a «opcion»."
    ]


def test_bands_without_one_that_starts_at_0_name_the_first_band(empty_forms: Path) -> None:
    _, text = _write(empty_forms, IDC, [("min = 0\n", "min = 10\n")])
    first_band = _lines(text, "[[bands]]")[0]
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{first_band}: bands: ningún tramo empieza en 0. Corrección: agregue un tramo"
        " con min = 0 para los puntajes más bajos."
    ]


def test_two_bands_with_the_same_minimum_name_the_second(empty_forms: Path) -> None:
    _, text = _write(empty_forms, IDC, [("min = 75\n", "min = 40\n")])
    _first, second = _lines(text, "min = 40")
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{second}: tramo 3, min: dos tramos empiezan en 40. Corrección: cada tramo"
        " necesita un mínimo distinto."
    ]


def test_a_stage_rule_that_requires_an_unknown_item(empty_forms: Path) -> None:
    _, text = _write(
        empty_forms,
        IDC,
        [
            (
                'requires = ["norma_creacion", "instalacion"]',
                'requires = ["norma_creacion", "instalada"]',
            )
        ],
    )
    line = _line(text, 'requires = ["norma_creacion", "instalada"]')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: regla de estado 2, requires[2]: la regla pide el ítem «instalada»,"
        " que no existe en esta ficha. Corrección: escriba el id de un ítem de esta ficha."
    ]


def test_a_file_named_v2_that_declares_version_1(empty_forms: Path) -> None:
    path, text = _write(empty_forms, IDC, name="v2.toml")
    expected = [
        f"forms/{IDC}/v2.toml:{_line(text, 'version = 1')}: version: el archivo se llama v2.toml"
        " pero declara version = 1. Corrección: llame al archivo v1.toml o corrija version."
    ]
    assert _errors(empty_forms) == expected
    with pytest.raises(FormDefinitionError) as raised:
        FormLibrary(empty_forms).check_file(path)
    assert str(raised.value) == expected[0]


def test_a_definition_in_the_folder_of_another_form(empty_forms: Path) -> None:
    _, text = _write(empty_forms, IDC, folder="funcionamiento_ipc")
    line = _line(text, f'form = "{IDC}"')
    assert _errors(empty_forms) == [
        f"forms/funcionamiento_ipc/v1.toml:{line}: form: la ficha «{IDC}» está en la carpeta"
        f" «funcionamiento_ipc». Corrección: mueva el archivo a forms/{IDC}/ o corrija form."
    ]


def test_every_schema_error_of_a_file_is_reported_sorted_by_line(empty_forms: Path) -> None:
    _, text = _write(
        empty_forms,
        IDC,
        [
            ("weight = 3", "weight = -1"),
            (
                'answer = "si_no"\nweight = 8\nbasis = "gob',
                'answer = "si_o_no"\nweight = 8\nbasis = "gob',
            ),
            (
                'weight = 6\nbasis = "Ordenanzas de creación"',
                'weight = 12\nbasis = "Ordenanzas de creación"',
            ),
        ],
    )
    errors = FormLibrary(empty_forms).check_all()
    assert [(e.line, e.where) for e in errors] == [
        (_line(text, 'answer = "si_o_no"'), "sección 1, ítem 2, answer"),
        (_line(text, "weight = 12"), "sección 1, ítem 4, weight"),
        (_line(text, "weight = -1"), "sección 2, ítem 5, weight"),
    ]
    assert [e.line for e in errors] == sorted(e.line for e in errors)
    assert all(str(e).startswith(f"{IDC_FILE}:{e.line}: {e.where}: ") for e in errors)


def test_every_cross_reference_error_of_a_file_is_reported_sorted_by_line(
    empty_forms: Path,
) -> None:
    path, text = _write(
        empty_forms,
        IDC,
        [
            ('when.item = "instalacion"', 'when.item = "reglamento_interno"'),
            ('id = "presidencia"', 'id = "norma_creacion"'),
            (
                'requires = ["norma_creacion", "instalacion"]',
                'requires = ["norma_creacion", "instalada"]',
            ),
        ],
    )
    rule = _line(text, 'requires = ["norma_creacion", "instalada"]')
    first, again = _lines(text, 'id = "norma_creacion"')
    condition = _line(text, 'when.item = "reglamento_interno"')
    with pytest.raises(FormDefinitionError) as raised:
        FormLibrary(empty_forms).check_file(path)
    assert [(e.line, e.where) for e in raised.value.errors] == [
        (rule, "regla de estado 2, requires[2]"),
        (again, "sección 1, ítem 2, id"),
        (condition, "sección 1, ítem 6, when.item"),
    ]
    assert rule < again < condition
    assert str(raised.value).splitlines() == [str(e) for e in raised.value.errors]
    assert str(raised.value).splitlines()[1] == (
        f"{IDC_FILE}:{again}: sección 1, ítem 2, id: el identificador «norma_creacion» ya se usó"
        f" en la línea {first}. Corrección: dé a cada uno un identificador propio: cambie uno de"
        " los dos."
    )


def test_errors_of_several_files_are_all_reported_file_by_file(empty_forms: Path) -> None:
    _write(empty_forms, IRC, [('answer = "opcion"\nweight = 4', 'answer = "opcion"\nweight = 40')])
    _write(empty_forms, IDC, [("weight = 3", "weight = -1")])
    errors = FormLibrary(empty_forms).check_all()
    assert [(e.file, e.where) for e in errors] == [
        (IDC_FILE, "sección 2, ítem 5, weight"),
        (IRC_FILE, "sección 4, ítem 2, weight"),
    ]


def test_a_condition_whose_threshold_is_worth_nothing_is_refused(empty_forms: Path) -> None:
    _, text = _write(empty_forms, IDC, [('when.at_least = "si"', 'when.at_least = "no"')])
    line = _line(text, 'when.at_least = "no"')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: sección 1, ítem 6, when.at_least: «no» vale 0: la condición se"
        " cumpliría con cualquier respuesta. Corrección: use una respuesta que valga más que 0:"
        " si."
    ]


def test_stage_rules_out_of_life_cycle_order_are_refused(empty_forms: Path) -> None:
    _, text = _write(
        empty_forms,
        IDC,
        [
            (
                'stage = "creada"\nrequires = ["norma_creacion"]',
                'stage = "instalada"\nrequires = ["norma_creacion"]',
            ),
            (
                'stage = "instalada"\nrequires = ["norma_creacion", "instalacion"]',
                'stage = "creada"\nrequires = ["norma_creacion", "instalacion"]',
            ),
        ],
    )
    line = _line(text, 'stage = "creada"')
    assert _errors(empty_forms) == [
        f"{IDC_FILE}:{line}: regla de estado 2, stage: la regla de «creada» va después de la de"
        " «instalada». Corrección: ordene las reglas como el ciclo de vida: creada, instalada,"
        " en_funcionamiento, reactivada."
    ]
