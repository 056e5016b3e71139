"""INEI ubigeo codes: 2 digits department, 4 province, 6 district (DDPPdd), leading zeros kept."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from instancias_desktop.domain.enums import UserRole
from instancias_desktop.i18n import _


class UbigeoLevel(StrEnum):
    """Territorial level implied by the length of a code."""

    DEPARTMENT = "department"
    PROVINCE = "province"
    DISTRICT = "district"

    @property
    def label(self) -> str:
        """Spanish label."""
        return {
            UbigeoLevel.DEPARTMENT: _("Departamento"),
            UbigeoLevel.PROVINCE: _("Provincia"),
            UbigeoLevel.DISTRICT: _("Distrito"),
        }[self]


_LEVEL_BY_LENGTH = {2: UbigeoLevel.DEPARTMENT, 4: UbigeoLevel.PROVINCE, 6: UbigeoLevel.DISTRICT}
_CODE = re.compile(r"[0-9]{2}|[0-9]{4}|[0-9]{6}")


@dataclass(frozen=True)
class Territory:
    """One entry of the territorial catalogue."""

    code: str
    name: str
    vigente: bool = True

    @property
    def level(self) -> UbigeoLevel:
        """Department, province or district, by the length of the code."""
        return level_of(self.code)

    @property
    def parent_code(self) -> str | None:
        """The code of the containing territory (None for a department)."""
        return parent_of(self.code)


def check_ubigeo(raw: str) -> str | None:
    """Message when a text is not a well-formed INEI code, else None."""
    code = raw.strip()
    if not code:
        return _("Escriba el ubigeo (2, 4 o 6 dígitos).")
    if not _CODE.fullmatch(code):
        return _("El ubigeo «{code}» debe tener 2, 4 o 6 dígitos, sin letras ni espacios.").format(
            code=raw
        )
    department = int(code[:2])
    if not 1 <= department <= 25:
        return _(
            "El ubigeo «{code}» no es válido: el código de departamento va de 01 a 25."
        ).format(code=code)
    if any(code[i : i + 2] == "00" for i in range(2, len(code), 2)):
        return _("El ubigeo «{code}» no puede contener el par «00».").format(code=code)
    return None


def level_of(code: str) -> UbigeoLevel:
    """Territorial level of a well-formed code."""
    try:
        return _LEVEL_BY_LENGTH[len(code)]
    except KeyError:
        raise ValueError(check_ubigeo(code)) from None


def parent_of(code: str) -> str | None:
    """The containing territory's code: province for a district, department for a province."""
    return code[:-2] if len(code) > 2 else None


def is_within(code: str, prefix: str) -> bool:
    """Whether a territory lies inside the territory ``prefix`` (or is it)."""
    return code.startswith(prefix)


def is_capital_district(code: str) -> bool:
    """INEI numbers each province's capital district 01; the provincial municipality governs it."""
    return len(code) == 6 and code.endswith("01")


def territory_label(ubigeo: str, names: Mapping[str, str]) -> str:
    """'District, Province, Department' (as far as the code goes), for lists and places."""
    codes = [ubigeo[:n] for n in (6, 4, 2) if len(ubigeo) >= n]
    return ", ".join(names.get(code, code) for code in codes)


def capital_code(ubigeo: str) -> str:
    """The district that is the capital of a department or province ("" for a district).

    INEI numbers a province's capital district 01, and a department's capital is the capital
    of its province 01: Puno 21 → 210101 (Puno); El Collao 2105 → 210501 (Ilave).
    """
    if len(ubigeo) == 2:
        return ubigeo + "0101"
    if len(ubigeo) == 4:
        return ubigeo + "01"
    return ""


def stored_prefixes(text: str | None) -> tuple[str, ...]:
    """Ubigeo prefixes as an enrolment stores them («08,15»)."""
    return tuple(code for code in (text or "").split(",") if code)


def working_territories(role: str, territories: tuple[str, ...]) -> tuple[str, ...]:
    """The ubigeo prefixes a user works on: a supervisor (or nobody enrolled) has the country."""
    return () if role == UserRole.SUPERVISOR else territories
