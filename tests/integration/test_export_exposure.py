"""Minimum exposure: lists leave out what their purpose does not need, and say what they hold."""

import csv
import dataclasses
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import openpyxl
from helpers.acta_fixtures import instancia, person, services_at
from helpers.gui_visits import finalize

from instancias_desktop.db.uow import Database
from instancias_desktop.domain.visit_inputs import AgreementInput
from instancias_desktop.paths import ProfilePaths

NAME, DNI = "Teodora Quispe Mamani", "71234567"
PHONE, EMAIL = "984123456", "teodora@munisantiago.gob.pe"
RESPONSIBLE = "Julia Ccori Huamán"


def raw_text(path: Path) -> str:
    """Every byte of a file as text (an .xlsx unzipped), to look for what must not be there."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return path.read_bytes().decode("utf-8-sig")


def test_lists_hold_no_document_phone_or_mail_and_say_what_they_hold(
    database: Database, profile_paths: ProfilePaths, tmp_path: Path
) -> None:
    services = services_at(database, profile_paths)
    visit = services.start_visit(instancia(services))
    services.save_participant(
        visit, dataclasses.replace(person(DNI, NAME), phone=PHONE, email=EMAIL)
    )
    agreement = AgreementInput(
        "Aprobar el reglamento interno", "Municipalidad de Santiago", RESPONSIBLE,
        dt.date(2026, 4, 30),
    )  # fmt: skip
    services.save_agreement(visit, agreement)
    finalize(services, visit)

    visits = services.export_visits(services.list_visits(), tmp_path / "visitas.xlsx")
    agreements = services.export_agreements(services.agreement_lines(), tmp_path / "acuerdos.xlsx")
    as_csv = services.export_agreements(services.agreement_lines(), tmp_path / "acuerdos.csv")
    for exported in (visits, agreements, as_csv):
        text = raw_text(exported.path)
        for hidden in (DNI, NAME, PHONE, EMAIL):  # participants are counted, never listed
            assert hidden not in text, (exported.path.name, hidden)
    assert RESPONSIBLE in raw_text(agreements.path)  # whom to follow up: the list's purpose

    assert agreements.personal_data[0] == "el nombre de la persona responsable de cada acuerdo"
    assert "Contiene datos personales (el nombre de la persona responsable" in agreements.message
    assert "Ley 29733" in agreements.message
    notice = [row[0] for row in openpyxl.load_workbook(agreements.path)["Datos personales"].values]
    assert notice[0].startswith("Esta lista contiene datos personales (Ley N° 29733")
    assert notice[1] == "• el nombre de la persona responsable de cada acuerdo"
    assert "no la comparta fuera del MIMP" in notice[-1]
    rows = list(csv.reader(io.StringIO(as_csv.path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2 and rows[1][8] == RESPONSIBLE  # the CSV stays a plain table
    assert json.loads(services.audit_trail(1)[0].detail) == {
        "datos_personales": 2, "filas": 1, "formato": "csv", "lista": "Acuerdos"
    }  # fmt: skip
