"""Reading a printed acta back: the QR codes of a 3-page photo set, as phones take them.

The finalized acta of `acta_pdf.py` is rasterized (pypdfium2) at 200 dpi, each page saved as a
JPEG (quality 85, about a phone photo's sharpness for an A4 at arm's length), and every page is
read by `scans.qr.qr_texts`, as «Leer de un escaneo o foto…» does; median and worst of 9 runs
after a warm-up. Beside it, for information, the same pages as one scanned PDF.
"""

import io
import json
import statistics
import time
from collections.abc import Callable

import pypdfium2
from acta_pdf import bench_record

from instancias_desktop.paths import resources_dir
from instancias_desktop.pdf.acta import render_acta
from instancias_desktop.scans.qr import qr_texts

RUNS = 9
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
    sizes = [len(s) // 1024 for s in shots]
    median, worst = statistics.median(set_ms), max(set_ms)
    print(
        f"{PAGES} photos of {PHOTO_DPI} dpi ({sizes} kB):"
        f" median {median:.0f} ms, worst {worst:.0f} ms"
    )
    print(f"the whole acta as a scanned PDF: median {statistics.median(pdf_ms):.0f} ms")
    print(
        json.dumps(
            {
                "bench": "paper_read",
                "photos": PAGES,
                "photo_set_median_ms": round(statistics.median(set_ms), 1),
                "photo_set_worst_ms": round(max(set_ms), 1),
                "scanned_pdf_median_ms": round(statistics.median(pdf_ms), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
