"""Small builders for test data: members by persona and documents of any size."""
from django.contrib.auth import get_user_model

from drafting.importer import import_document
from drafting.markdown_format import parse
from drafting.models import Member

PASSWORD = "correct-horse-battery-staple"


def make_member(username, role=Member.Role.DRAFTER, *, active=True, full_name=None, agency="Test agency"):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.test", password=PASSWORD, is_active=active
    )
    return Member.objects.create(
        user=user, full_name=full_name or username.replace("_", " ").title(), agency=agency,
        position="Deputy Head", role=role,
    )


def make_outsider(username="outsider"):
    """An account that can log in but is not a member of the working group."""
    return get_user_model().objects.create_user(username=username, password=PASSWORD)


def generated_markdown(clauses, *, title="Generated Document", per_section=10):
    """A canonical-format document with `clauses` clauses: sections of `per_section` (a heading and sub-clauses)."""
    blocks = [f"# {title}", "adopted: 2026"]
    made = 0
    section = 0
    while made < clauses:
        section += 1
        blocks.append(f"## {section}. Section {section}\naz: Bölmə {section} — ğüşıöçə\n\nIntro text of section {section}.")
        made += 1
        sub = 0
        while made < clauses and sub < per_section - 1:
            sub += 1
            blocks.append(
                f"### {section}.{sub}. Clause {section}.{sub}\n\nFirst paragraph of {section}.{sub}, with words.\n\n"
                f"Second paragraph: <b>bold?</b> & \"quotes\"."
            )
            made += 1
    return "\n\n".join(blocks) + "\n"


def make_document(clauses=10, *, slug=None, title=None):
    title = title or f"Generated {clauses}"
    document, _ = import_document(parse(generated_markdown(clauses, title=title)), slug=slug)
    return document
