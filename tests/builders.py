"""Small builders for test data: members by persona, their authenticator apps, and documents of any size."""
import time

from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def enrolled_device(user):
    """The member's confirmed authenticator app, made on first use, as if they had enrolled."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_for(device):
    """The code the member's app shows now, computed from the device's secret as the app does.

    A code is accepted once: when this time step's code was already used (two sign-ins in one 30-second
    step), the next step's code is given, which the device accepts as clock drift; a third waits for the step.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if device.last_t >= totp.t() + 1:
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)
        totp.time = time.time()
    if device.last_t >= totp.t():
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


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


def without_trace(exported):
    """An exported Markdown file (bytes) without its leading marking and trace comments, which the importer
    ignores: what remains is the text, byte for byte."""
    lines = exported.splitlines(keepends=True)
    while lines and lines[0].startswith(b"<!-- ") and lines[0].endswith(b" -->\n"):
        lines.pop(0)
    return b"".join(lines)


def make_bilingual_document(clauses=6, *, authoritative="az", slug=None, title=None):
    """A generated document in both languages: Azerbaijani authoritative and English its translation by default
    (`authoritative="en"` for the other way round). Each clause's Azerbaijani text is made up here, for tests
    only ("Bənd 1.1 mətni."): no official text."""
    from drafting.models import Clause

    document = make_document(clauses, slug=slug, title=title or f"Bilingual {clauses} {authoritative}")
    document.authoritative_language = authoritative
    document.translation_language = "en" if authoritative == "az" else "az"
    document.save()
    for clause in Clause.objects.filter(document=document):
        clause.body_az = f"Bənd {clause.number or clause.pk} mətni, sınaq üçün."
        clause.save()
    return document


# A document holding what official texts contain (issue 14, point 2): a section's opening text, a lettered list
# with Azerbaijani letters, a dashed list, a footnote and the section's closing text. Made-up test text only.
STRUCTURED_MARKDOWN = """# Test structure document

language: az

## 1. Birinci bölmə

Test mətni: şəxs, ölkə, güc, ığ.

## 2. Təhlükəsizlik sahələri

Test sahələri aşağıdakılardır:

a) birinci sahə;
b) ikinci sahə[^1];
c) üçüncü sahə;
ç) dördüncü sahə.

[^1]: Test qeydi: ölkə.

### 2.1. Alt bənd

Alt bəndin test mətni.

- tire ilə bənd
- ikinci tire

### 2.2. İkinci alt bənd

İkinci alt bəndin mətni.

### ~

Bölmənin yekun test mətni.

## 3. Üçüncü bölmə

Son test mətni.
"""


def make_structured_document(slug="structured"):
    document, _ = import_document(parse(STRUCTURED_MARKDOWN), slug=slug)
    return document
