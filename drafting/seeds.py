"""The data `load_seeds` loads: the Concept from seeds/concept_2007.md, the demo members (all on the Concept),
and a second, clearly demo, document (seeds/demo_access.md) that one demo drafter is not on.

Each step is idempotent: what exists is left as it is, so running it twice changes nothing.
"""
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .importer import import_document
from .languages import AZ, EN
from .markdown_format import parse
from .models import Amendment, Document, DocumentAccess, Member, Tag
from .models.history import attribute

SEEDS = Path(settings.BASE_DIR) / "seeds"
CONCEPT_SLUG = "concept"
DEMO_ACCESS_SLUG = "demo-access"
# The demo drafter left off the demo document, so the need-to-know rule can be seen by signing in as them.
LEFT_OFF_DEMO_DOCUMENT = "pss"


def load_members():
    data = json.loads((SEEDS / "members.json").read_text(encoding="utf-8"))
    created = []
    User = get_user_model()
    for row in data["members"]:
        if User.objects.filter(username=row["username"]).exists():
            continue
        user = User(username=row["username"], email=f"{row['username']}@drafting.invalid")
        user.set_password(row["password"])
        # The demo admin may open the read-only records pages (/admin/); no account is ever a superuser,
        # whose flag would only invite someone to look for a way round the app's rules.
        user.is_staff = row["role"] == Member.Role.ADMIN
        user.save()
        member = Member(
            user=user, full_name=row["full_name"], agency=row["agency"],
            position=row["position"], role=row["role"],
        )
        attribute(member, reason="demo seed")
        member.save()
        created.append(member)
    return created


def enrol_demo_members():
    """Demo members whose role must use two-factor sign-in get an authenticator secret of their own, made on
    this machine (never one written in the repository); `manage.py demo_logins` prints it, with the current
    code, so the demo can be tried with an authenticator app or without one."""
    from . import two_factor

    enrolled = []
    usernames = [row["username"] for row in json.loads((SEEDS / "members.json").read_text(encoding="utf-8"))["members"]]
    for member in Member.objects.select_related("user").filter(user__username__in=usernames):
        if two_factor.required_for(member) and not two_factor.is_enrolled(member.user):
            device = two_factor.pending_device(member.user)
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            enrolled.append(member)
    return enrolled


def demo_second_factor(username):
    """(secret, current code) of a demo account's authenticator app, or None when it has none."""
    from django_otp.oath import TOTP

    from . import two_factor

    user = get_user_model().objects.filter(username=username).first()
    device = two_factor.app_device(user) if user else None
    if device is None:
        return None
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return two_factor.secret_for_display(device).replace(" ", ""), f"{code:0{device.digits}d}"


def load_concept():
    """The Concept: Azerbaijani authoritative, with its English working translation. The seed file holds what we
    have (the Azerbaijani headings and the English wording, 4.1.1's text the only body), written from the English
    side; the Azerbaijani text stays empty until the official text is imported."""
    if Document.objects.filter(slug=CONCEPT_SLUG).exists():
        return None
    parsed = parse((SEEDS / "concept_2007.md").read_text(encoding="utf-8"))
    document, _ = import_document(parsed, reason="imported", slug=CONCEPT_SLUG)
    document.authoritative_language, document.translation_language = AZ, EN
    attribute(document, reason="imported")
    document.save()
    return document


def put_members_on(document, *, leave_out=()):
    """The demo members on `document` in their deployment role (admins need no row); returns those added."""
    added = []
    for member in Member.objects.exclude(role=Member.Role.ADMIN).exclude(user__username__in=leave_out):
        if not DocumentAccess.objects.filter(document=document, member=member).exists():
            added.append(DocumentAccess.grant(document, member, member.role))
    return added


def load_demo_access_document():
    """"[Demo] Access example": placeholder clauses only, with every demo member on it but one."""
    document = Document.objects.filter(slug=DEMO_ACCESS_SLUG).first()
    if document is None:
        parsed = parse((SEEDS / "demo_access.md").read_text(encoding="utf-8"))
        document, _ = import_document(parsed, reason="demo seed", slug=DEMO_ACCESS_SLUG)
    put_members_on(document, leave_out=[LEFT_OFF_DEMO_DOCUMENT])
    return document


def load_demo_amendments(document):
    """The revision's story as amendments in different states (demo content), told through the model's
    own methods so that applying one writes history exactly as the app does. Only on a document with none."""
    if document.amendments.exists():
        return []
    data = json.loads((SEEDS / "demo_amendments.json").read_text(encoding="utf-8"))
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in data["tags"]}
    members = {m.user.username: m for m in Member.objects.select_related("user")}
    made = []
    for row in data["amendments"]:
        clause = document.clauses.get(number=row["clause"], status="in_force")
        fields = {"rationale": row["rationale"]}
        if row["kind"] == Amendment.Kind.MODIFY:
            body = clause.body
            for sentence in row.get("remove_sentences", []):
                if sentence not in body:
                    raise ValueError(f"demo amendment: sentence not found in {clause.number}: {sentence[:40]}")
                body = body.replace(" " + sentence, "").replace(sentence, "")
            fields.update(proposed_heading=row.get("heading", clause.heading), proposed_body=body,
                          proposed_heading_az=clause.heading_az)
        elif row["kind"] == Amendment.Kind.INSERT:
            fields.update(proposed_heading=row["heading"], proposed_body=row["body"], placement=row["placement"])
        amendment = Amendment.start(
            author=members[row["author"]], clause=clause, kind=row["kind"], submit=True,
            tags=[tags[name] for name in row["tags"]],
            cosponsors=[members[name] for name in row.get("cosponsors", [])], **fields,
        )
        for review in row["reviews"]:
            amendment.review(members[review["reviewer"]], review["decision"], review["note"])
        made.append(amendment)
    return made


def load_demo_thread(document):
    """A short discussion on the amendment that removes the Minsk Group sentence from 4.1.1 (demo content,
    marked "[Demo]"): a question quoting the removed words, a reply with a mention, resolved. Only once."""
    from .models import Amendment, Comment

    amendment = Amendment.objects.filter(
        document=document, kind=Amendment.Kind.MODIFY, author__user__username="drafter"
    ).order_by("number").first()
    if amendment is None or amendment.comments.exists():
        return []
    members = {m.user.username: m for m in Member.objects.select_related("user")}
    reviewer, drafter, pss = members.get("scis"), members.get("drafter"), members.get("pss")
    if not (reviewer and drafter and pss):
        return []
    question = Comment.post(
        author=reviewer, target=amendment, quote="within the framework of the OSCE Minsk Group",
        body="[Demo] Should the Concept keep any reference to the OSCE Minsk Group, for the historical record?",
    )
    answer = Comment.post(
        author=drafter, parent=question,
        body="[Demo] No: that process has ended, and the clause's history keeps the 2007 wording. "
             "@pss, do you agree?",
    )
    agreed = Comment.post(author=pss, parent=answer, body="[Demo] Agreed, nothing to add.")
    question.resolve(reviewer)
    return [question, answer, agreed]


def demo_logins():
    data = json.loads((SEEDS / "members.json").read_text(encoding="utf-8"))
    return data["members"]


@transaction.atomic
def load_all():
    """Everything the app seeds, in order; returns a line per step for the operator."""
    from .notify import without_email

    members = load_members()
    enrolled = enrol_demo_members()
    concept = load_concept()
    access = put_members_on(Document.objects.get(slug=CONCEPT_SLUG))
    demo_document = load_demo_access_document()
    with without_email():  # demo members' inboxes fill, but nobody is emailed about demo events
        amendments = load_demo_amendments(Document.objects.get(slug=CONCEPT_SLUG))
        thread = load_demo_thread(Document.objects.get(slug=CONCEPT_SLUG))
    return [
        f"members: {len(members)} created" if members else "members: already loaded",
        f"two-factor sign-in: {len(enrolled)} demo accounts enrolled" if enrolled else "two-factor sign-in: demo accounts already enrolled",
        "concept: imported" if concept else "concept: already loaded",
        f"concept access: {len(access)} members put on" if access else "concept access: already given",
        f"demo document: {demo_document} ({LEFT_OFF_DEMO_DOCUMENT} not on it)",
        f"demo amendments: {len(amendments)} created" if amendments else "demo amendments: already loaded",
        f"demo thread: {len(thread)} comments" if thread else "demo thread: already loaded",
    ]
