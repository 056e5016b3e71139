"""The shared data of an instancia a specialist may edit: who chairs it, its technical secretariat.

Labels and limits come from the one declaration of the synced kinds (``sync.kinds``), so the
screen, the local check and the server's check never disagree.
"""

from collections.abc import Mapping

from instancias_desktop.domain.validation import Collector, check_text
from instancias_desktop.i18n import _
from sync.kinds import INSTANCIA

# In the order the screen shows them.
INSTANCIA_DATA_FIELDS: tuple[str, ...] = (
    "chair_name",
    "chair_post",
    "secretariat_unit",
    "secretariat_person",
)


def data_label(name: str) -> str:
    """The Spanish label of an editable field, capitalized: «Presidencia (nombre)»."""
    label = _(INSTANCIA.fields[name].label)
    return label[:1].upper() + label[1:]


def data_limit(name: str) -> int:
    """How many characters an editable field admits."""
    return INSTANCIA.fields[name].max_length


def clean_data_changes(changes: Mapping[str, object]) -> dict[str, str]:
    """The changes with surrounding spaces stripped ("" means no data).

    Raises ValidationError naming every unknown, non-text, too long or unreadable field;
    the caller then writes nothing.
    """
    errors = Collector()
    cleaned: dict[str, str] = {}
    for name, raw in changes.items():
        if name not in INSTANCIA_DATA_FIELDS:
            errors.add(
                name,
                _("«{name}» no es un dato editable de la instancia; se editan: {known}.").format(
                    name=name, known=", ".join(data_label(n) for n in INSTANCIA_DATA_FIELDS)
                ),
            )
            continue
        label = data_label(name)
        if not isinstance(raw, str):
            errors.add(name, _("«{label}» debe ser texto.").format(label=label))
            continue
        value = raw.strip()
        errors.add(name, check_text(value, label, data_limit(name)))  # NUL included
        cleaned[name] = value
    errors.raise_if_any()
    return cleaned
