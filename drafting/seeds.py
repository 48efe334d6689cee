"""The data `load_seeds` loads: the Concept from seeds/concept_2007.md and the demo members.

Each step is idempotent: what exists is left as it is, so running it twice changes nothing.
"""
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .importer import import_document
from .markdown_format import parse
from .models import Document, Member
from .models.history import attribute

SEEDS = Path(settings.BASE_DIR) / "seeds"
CONCEPT_SLUG = "concept"


def load_members():
    data = json.loads((SEEDS / "members.json").read_text(encoding="utf-8"))
    created = []
    User = get_user_model()
    for row in data["members"]:
        if User.objects.filter(username=row["username"]).exists():
            continue
        user = User(username=row["username"], email=f"{row['username']}@drafting.invalid")
        user.set_password(row["password"])
        user.is_staff = user.is_superuser = row["role"] == Member.Role.ADMIN
        user.save()
        member = Member(
            user=user, full_name=row["full_name"], agency=row["agency"],
            position=row["position"], role=row["role"],
        )
        attribute(member, reason="demo seed")
        member.save()
        created.append(member)
    return created


def load_concept():
    if Document.objects.filter(slug=CONCEPT_SLUG).exists():
        return None
    parsed = parse((SEEDS / "concept_2007.md").read_text(encoding="utf-8"))
    document, _ = import_document(parsed, reason="imported", slug=CONCEPT_SLUG)
    return document


def demo_logins():
    data = json.loads((SEEDS / "members.json").read_text(encoding="utf-8"))
    return data["members"]


@transaction.atomic
def load_all():
    """Everything the app seeds, in order; returns a line per step for the operator."""
    members = load_members()
    concept = load_concept()
    return [
        f"members: {len(members)} created" if members else "members: already loaded",
        "concept: imported" if concept else "concept: already loaded",
    ]
