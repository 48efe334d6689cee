from django.core.management.base import BaseCommand
from django.db import transaction

from drafting.models import Amendment, Clause, Comment, SearchEntry
from drafting.search import rebuild


class Command(BaseCommand):
    help = ("Write the search index again from the text of every clause (and its history), amendment and comment: "
            "after a bulk change that wrote no history (a .update(), a bulk_create), or to repair it. Searches see "
            "the old index until the new one is complete (one transaction).")

    def handle(self, *args, **options):
        with transaction.atomic():
            written = rebuild(ClauseHistory=Clause.history.model, Amendment=Amendment, Comment=Comment,
                              SearchEntry=SearchEntry)
        self.stdout.write(f"Search index rebuilt: {written} entries.")
