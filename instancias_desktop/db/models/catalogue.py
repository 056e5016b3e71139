"""Catalogue tables: territory (INEI ubigeo), government units, member-entity types; server wins."""

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from instancias_desktop.db.base import Base
from instancias_desktop.db.types import UtcDateTime, enum_column
from instancias_desktop.domain.enums import InstanciaLevel, UnitKind
from instancias_desktop.domain.membership import Cardinality
from instancias_desktop.domain.ubigeo import UbigeoLevel


class CatalogueVersionRow(Base):
    """Which version of each catalogue this database holds."""

    __tablename__ = "catalogue_version"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    version: Mapped[str] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class TerritoryRow(Base):
    """A department, province or district by its INEI code."""

    __tablename__ = "territory"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[UbigeoLevel] = mapped_column(enum_column(UbigeoLevel))
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("territory.code"), index=True, default=None
    )
    vigente: Mapped[bool] = mapped_column(Boolean, default=True)


class GovernmentUnitRow(Base):
    """A regional government or municipality that must have an instancia."""

    __tablename__ = "government_unit"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    name: Mapped[str] = mapped_column(String(200))
    ubigeo: Mapped[str] = mapped_column(ForeignKey("territory.code"), index=True)


class MemberEntityTypeRow(Base):
    """A kind of entity with seats in instancias of one level, and its cardinality rule."""

    __tablename__ = "member_entity_type"

    level: Mapped[InstanciaLevel] = mapped_column(enum_column(InstanciaLevel), primary_key=True)
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    cardinality: Mapped[Cardinality] = mapped_column(enum_column(Cardinality))
    count: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    assumption: Mapped[bool] = mapped_column(Boolean, default=False)
