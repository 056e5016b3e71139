"""Photos too large for a slow link, reduced on attach if the specialist agrees.

Reading only the header tells the size; a copy is scaled to at most ``MAX_SIDE`` pixels on its
longer side (orientation applied) and saved as JPEG. The original file is never changed.
"""

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImageReader
from PySide6.QtWidgets import QMessageBox, QWidget

from instancias_desktop.i18n import _, decimal_text

MAX_SIDE = 1600  # pixels: enough to read a document or see a meeting
LARGE_BYTES = 1_500_000
QUALITY = 85
_PHOTOS = {"jpg", "jpeg", "png"}


def large_photo(path: Path) -> tuple[int, int] | None:
    """(width, height) of a photo worth reducing; None for anything else."""
    reader = QImageReader(str(path))
    if bytes(reader.format().data()).decode().lower() not in _PHOTOS:
        return None
    size = reader.size()
    if not size.isValid():
        return None
    too_big = max(size.width(), size.height()) > MAX_SIDE or path.stat().st_size > LARGE_BYTES
    return (size.width(), size.height()) if too_big else None


def reduced_copy(path: Path) -> Path:
    """A JPEG copy at most ``MAX_SIDE`` pixels on its longer side (works off the GUI thread)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # a phone's rotation applied before scaling
    image = reader.read()
    if image.isNull():
        raise ValueError(_("No se pudo leer la imagen {name}.").format(name=path.name))
    if max(image.width(), image.height()) > MAX_SIDE:
        image = image.scaled(
            MAX_SIDE,
            MAX_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    target = Path(tempfile.mkdtemp(prefix="anexo-reducido-")) / (path.stem + ".jpg")
    if not image.save(str(target), quality=QUALITY):  # JPEG, by the name
        raise ValueError(_("No se pudo reducir la imagen {name}.").format(name=path.name))
    return target


def ask_with_box(parent: QWidget, name: str, size: tuple[int, int], megabytes: float) -> bool:
    """Whether the specialist agrees to attach a reduced copy."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Reducir la foto"))
    box.setText(
        _(
            "La foto «{name}» mide {w} × {h} píxeles ({mb} MB). ¿Adjuntar una copia reducida "
            "a {side} píxeles? Pesa mucho menos y se envía antes con poca señal; el original no "
            "cambia."
        ).format(name=name, w=size[0], h=size[1], mb=decimal_text(megabytes), side=MAX_SIDE)
    )
    reduce = box.addButton(_("Adjuntar &reducida"), QMessageBox.ButtonRole.YesRole)
    box.addButton(_("Adjuntar el &original"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(reduce)
    box.exec()
    return box.clickedButton() is reduce
