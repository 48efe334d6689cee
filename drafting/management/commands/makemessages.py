"""Django's makemessages, made to give the same catalog for the same sources, so merges of the catalog stay small.

Beside Django's own: new messages arrive untranslated rather than "fuzzy" guesses from similar ones (a guess
would read as a translation until someone noticed); every catalog is sorted by message (`msgcat --sort-output`)
instead of following the order of the source files; the header's POT-Creation-Date, which changes on every run,
is kept as it was; and the folders that hold no interface text (tests, benchmarks, collected static files,
node_modules) are never read. `make messages` runs it for Azerbaijani and compiles the result.
"""
import re
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages

NOT_INTERFACE = ["tests", "bench", "staticfiles", "node_modules", "*.egg-info"]
_CREATION_DATE = re.compile(r'^"POT-Creation-Date: [^"]*"$', re.M)


class Command(makemessages.Command):
    help = makemessages.Command.help + " Sorted by message, no fuzzy guesses, the creation date kept."
    msgmerge_options = makemessages.Command.msgmerge_options + ["--no-fuzzy-matching"]

    def handle(self, *args, **options):
        options["ignore_patterns"] = list(options.get("ignore_patterns") or []) + NOT_INTERFACE
        catalogs = self._catalogs(options.get("domain") or "django")
        dates = {path: _creation_date(path) for path in catalogs}
        super().handle(*args, **options)
        for path in self._catalogs(options.get("domain") or "django"):
            subprocess.run(["msgcat", "--sort-output", "--output-file", str(path), str(path)], check=True)
            kept = dates.get(path)
            if kept:
                text = path.read_text(encoding="utf-8")
                path.write_text(_CREATION_DATE.sub(lambda match, kept=kept: kept, text, count=1), encoding="utf-8")

    @staticmethod
    def _catalogs(domain):
        return sorted(path for folder in settings.LOCALE_PATHS
                      for path in Path(folder).glob(f"*/LC_MESSAGES/{domain}.po"))


def _creation_date(path):
    found = _CREATION_DATE.search(path.read_text(encoding="utf-8"))
    return found.group(0) if found else None
