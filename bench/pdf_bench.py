"""Time of the line layout and of the PDF (WeasyPrint) of a generated document at 100 and 1,000 clauses, on a
throw-away SQLite database: `.venv/bin/python bench/pdf_bench.py`. The PDF is made in the request, so this is
what sets PDF_MAX_PAGES (config/settings.py)."""
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/pdf_bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from builders import generated_markdown  # noqa: E402
from django.core.management import call_command  # noqa: E402

from drafting.comparison import NOW, read_version, resolve_point  # noqa: E402
from drafting.exports import pdf  # noqa: E402
from drafting.importer import import_document  # noqa: E402
from drafting.line_numbers import version_layout  # noqa: E402
from drafting.markdown_format import parse  # noqa: E402


def main():
    call_command("migrate", verbosity=0)
    print("| clauses | lines | pages | layout | PDF | size |")
    print("|---|---|---|---|---|---|")
    for clauses in (100, 1000):
        document, _ = import_document(parse(generated_markdown(clauses, title=f"B{clauses}")), slug=f"b{clauses}")
        version = read_version(document, resolve_point(document, NOW))
        started = time.perf_counter()
        layout = version_layout(version, "en", "Text not yet entered.")
        laid_out = time.perf_counter()
        content = pdf.render("drafting/pdf/lines.html", {"title": "Bench", "pages": layout.pages, "trace": ["bench"]})
        printed = time.perf_counter()
        print(f"| {clauses:,} | {len(layout.lines):,} | {len(layout.pages)} | {1000 * (laid_out - started):.0f} ms "
              f"| {printed - laid_out:.1f} s | {len(content) // 1024} KB |")


if __name__ == "__main__":
    main()
