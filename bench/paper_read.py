"""Reading a printed acta back: the QR codes of a 3-page photo set, as phones take them.

The finalized acta of `acta_pdf.py` is rasterized (pypdfium2) at 200 dpi, each page saved as a
JPEG (quality 85, about a phone photo's sharpness for an A4 at arm's length), and every page is
read by `scans.qr.qr_texts`, as «Leer de un escaneo o foto…» does; median and worst of 9 runs
after a warm-up. Beside it, for information, the same pages as one scanned PDF.

Attaching the set as the signed copy does more: each photo turned upright and reduced, its QR
read, the pages combined into one PDF and sealed into the annex store (`scans.paper` and the store,
as «Adjuntar copia firmada…» does before its one database write). Its ratio to reading alone is
the last line's ``ratio``: the budget is 2.5. For information, the same set as 12 MP phone
photos (4032 pixels on the longer side), which are decoded at half size.
"""

import io
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2
from acta_pdf import bench_record
from PIL import Image

from instancias_desktop.paths import resources_dir
from instancias_desktop.pdf.acta import render_acta
from instancias_desktop.scans.paper import combine, read_file
from instancias_desktop.scans.qr import qr_texts
from instancias_desktop.vault.annex_store import AnnexStore

RUNS = 9
BUDGET = 2.5  # attaching the set (reduce, read, combine, seal, store) against reading it alone
PHONE_SIDE = 4032  # a 12 MP phone photo's longer side
PHOTO_DPI = 200
PAGES = 3


def photos(pdf: bytes) -> list[bytes]:
    """The acta's last PAGES pages (the QR is on the last) as JPEG photos."""
    document = pypdfium2.PdfDocument(pdf)
    shots = []
    for index in range(max(0, len(document) - PAGES), len(document)):
        image = document[index].render(scale=PHOTO_DPI / 72).to_pil().convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        shots.append(buffer.getvalue())
    document.close()
    return shots


def as_phone_photo(shot: bytes) -> bytes:
    """The page as a 12 MP phone would hold it (upscaled: the pixels a phone's JPEG carries)."""
    with Image.open(io.BytesIO(shot)) as image:
        scale = PHONE_SIDE / max(image.size)
        big = image.resize((round(image.width * scale), round(image.height * scale)))
    buffer = io.BytesIO()
    big.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def timed(work: Callable[[], object]) -> list[float]:
    work()  # warm-up
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        runs.append((time.perf_counter() - started) * 1000)
    return runs


def main() -> None:
    code = "7KQ2-M9XD-4TRB"
    pdf = render_acta(bench_record(), code, resources_dir() / "fonts")
    shots = photos(pdf)
    found = [t for shot in shots for t in qr_texts(shot)]
    assert any(code in t for t in found), found
    set_ms = timed(lambda: [qr_texts(shot) for shot in shots])
    pdf_ms = timed(lambda: qr_texts(pdf))
    with tempfile.TemporaryDirectory() as folder:
        store = AnnexStore(Path(folder), bytes(32))  # sealed at rest, as the app keeps it

        def attach() -> tuple[bytes, int]:
            combined = combine([read_file(shot) for shot in shots])
            store.add_bytes(combined[0])
            return combined

        combined, pages = attach()
        assert pages == PAGES
        attach_ms = timed(attach)
        phone = [as_phone_photo(shot) for shot in shots]
        assert any(code in t for f in (read_file(p) for p in phone) for t in f.texts)
        phone_ms = timed(lambda: store.add_bytes(combine([read_file(p) for p in phone])[0]))
    ratio = statistics.median(attach_ms) / statistics.median(set_ms)
    sizes = [len(s) // 1024 for s in shots]
    median, worst = statistics.median(set_ms), max(set_ms)
    print(
        f"{PAGES} photos of {PHOTO_DPI} dpi ({sizes} kB):"
        f" median {median:.0f} ms, worst {worst:.0f} ms"
    )
    print(f"the whole acta as a scanned PDF: median {statistics.median(pdf_ms):.0f} ms")
    print(
        f"attached as the signed copy ({len(combined) // 1024} kB PDF): median"
        f" {statistics.median(attach_ms):.0f} ms, worst {max(attach_ms):.0f} ms;"
        f" {ratio:.2f}× reading alone (budget {BUDGET})"
    )
    print(
        f"the same set as 12 MP phone photos, attached: median {statistics.median(phone_ms):.0f} ms"
    )
    print(
        json.dumps(
            {
                "bench": "paper_read",
                "photos": PAGES,
                "photo_set_median_ms": round(statistics.median(set_ms), 1),
                "photo_set_worst_ms": round(max(set_ms), 1),
                "scanned_pdf_median_ms": round(statistics.median(pdf_ms), 1),
                "attach_set_median_ms": round(statistics.median(attach_ms), 1),
                "attach_set_worst_ms": round(max(attach_ms), 1),
                "signed_copy_kb": len(combined) // 1024,
                "phone_12mp_attach_median_ms": round(statistics.median(phone_ms), 1),
                "ratio": round(ratio, 2),
                "budget": BUDGET,
                "within_budget": ratio <= BUDGET,
            }
        )
    )


if __name__ == "__main__":
    main()
