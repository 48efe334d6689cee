"""Azerbaijani letters done right (issue 13, point 6): slugs transliterate, names and titles sort in the
Azerbaijani alphabet, case-insensitive matching knows İ/i and I/ı, and search boxes match with or without the
special letters. The sort key and the folding are checked against small independent oracles written from the
alphabet as the issue gives it."""
import functools
import re

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting import audit_trail
from drafting.azerbaijani import Folded, casefold, fold, slugify, sort_key, sorted_by_name
from drafting.importer import import_document
from drafting.markdown_format import parse
from drafting.models import Document, DocumentAccess, Member, Milestone, Tag

from .amendment_builders import modify
from .builders import make_member
from .conftest import login

# --- the oracles: the alphabet as the issue writes it, and the letters as the issue maps them -------------
ORDER = "a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v y z".split()
CAPITALS = dict(zip("ABCÇDEƏFGĞHXIİJKQLMNOÖPRSŞTUÜVYZ", "abcçdeəfgğhxıijkqlmnoöprsştuüvyz"))
LATIN = {"ə": "e", "ı": "i", "ş": "s", "ç": "c", "ğ": "g", "ö": "o", "ü": "u"}


def oracle_lower(word):
    return "".join(CAPITALS.get(letter, letter) for letter in word)


def oracle_compare(a, b):
    """-1, 0 or 1: letter by letter in ORDER, case ignored; a word before its own continuation."""
    a, b = oracle_lower(a), oracle_lower(b)
    for x, y in zip(a, b):
        if x != y:
            return -1 if ORDER.index(x) < ORDER.index(y) else 1
    return (len(a) > len(b)) - (len(a) < len(b))


def oracle_fold(word):
    return "".join(LATIN.get(letter, letter) for letter in oracle_lower(word)).replace("ı", "i")


letters = st.sampled_from(ORDER + list(CAPITALS))
words = st.text(letters, min_size=0, max_size=8)


@settings(max_examples=500, deadline=None)
@given(a=words, b=words)
def test_the_sort_key_orders_as_the_azerbaijani_alphabet(a, b):
    expected = oracle_compare(a, b)
    if expected:
        assert (sort_key(a) < sort_key(b)) == (expected < 0)
    else:  # the same letters in another case: an order still, but only by the text itself
        assert sort_key(a)[0] == sort_key(b)[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(words, max_size=12))
def test_sorting_by_the_key_agrees_with_the_oracle(items):
    ours = [oracle_lower(w) for w in sorted(items, key=sort_key)]
    theirs = [oracle_lower(w) for w in sorted(items, key=functools.cmp_to_key(oracle_compare))]
    assert ours == theirs


@settings(max_examples=500, deadline=None)
@given(words)
def test_folding_matches_the_oracle_and_leaves_plain_latin(word):
    assert fold(word) == oracle_fold(word)
    assert fold(word).isascii() and fold(fold(word)) == fold(word)


@settings(max_examples=300, deadline=None)
@given(words, words, words)
def test_a_word_is_found_typed_without_its_special_letters_or_in_any_case(before, word, after):
    text = before + word + after
    for typed in (oracle_fold(word), word.upper(), word.lower(), oracle_fold(word).upper()):
        assert fold(typed) in fold(text)


@settings(max_examples=300, deadline=None)
@given(words)
def test_casefold_treats_the_dotted_and_dotless_i_as_one_letter_and_keeps_the_length(word):
    assert len(casefold(word)) == len(word)
    assert casefold(word) == oracle_lower(word).replace("ı", "i")


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(words)
def test_the_database_folds_as_python_does(word):
    member = Member.objects.filter(pk=_holder().pk)
    member.update(full_name=word)
    assert member.annotate(folded=Folded("full_name")).values_list("folded", flat=True).get() == fold(word)


@functools.cache
def _holder():
    return make_member("folding_holder")


@pytest.fixture(autouse=True)
def _forget_holder():
    yield
    _holder.cache_clear()


# --- slugs ------------------------------------------------------------------------------------------------
def test_slugs_transliterate_the_azerbaijani_letters():
    assert slugify("Azərbaycan Respublikasının Milli Təhlükəsizlik Konsepsiyası") == \
        "azerbaycan-respublikasinin-milli-tehlukesizlik-konsepsiyasi"
    assert slugify("ƏLİYEV Şəki Çölü Ğəni Ömər Ülvi IĞDIR") == "eliyev-seki-colu-geni-omer-ulvi-igdir"
    assert slugify("İnsan hüquqları") == "insan-huquqlari"


def test_an_imported_azerbaijani_title_gets_a_transliterated_slug(db):
    document, _ = import_document(parse("# Xarici Siyasət Strategiyası\n\n## 1. Giriş\n\nMətn.\n"))
    assert document.slug == "xarici-siyaset-strategiyasi"


def test_a_document_created_without_a_slug_gets_one_by_the_same_rule(db):
    document = Document.objects.create(title="Hərbi Doktrina", short_title="Hərbi Doktrina")
    assert document.slug == "herbi-doktrina"


def test_the_import_command_makes_the_same_slug(db, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "doc.md"
    path.write_text("# Milli Təhlükəsizlik Konsepsiyası\n\n## 1. Ümumi müddəalar\n\nMətn.\n", encoding="utf-8")
    call_command("import_document", str(path))
    assert Document.objects.filter(slug="milli-tehlukesizlik-konsepsiyasi").exists()


def test_export_file_names_keep_the_letters_of_a_milestone(client, concept, reviewer):
    Milestone.objects.create(document=concept, name="Məsləhətləşmə üçün layihə",
                             moment=concept.milestones.get().moment, created_by=reviewer)
    login(client, reviewer)
    milestone = concept.milestones.get(name="Məsləhətləşmə üçün layihə")
    response = client.get(reverse("versions_markdown", args=[concept.slug]), {"at": milestone.point})
    assert 'filename="concept-meslehetlesme-ucun-layihe.md"' in response["Content-Disposition"]


# --- alphabetical order -------------------------------------------------------------------------------------
NAMES = ["Zaur Əliyev", "Şahin Quliyev", "Çingiz Məmmədov", "Cavid Rəhimov", "Əli Həsənov", "Elvin Abbasov",
         "İlham Nəsirov", "Ilqar Babayev", "Xəyal Orucov", "Hüseyn Qasımov", "Qafar Kərimov", "Kamran Səfərov",
         "Ömər Vəliyev", "Orxan Tağıyev", "Sevda Nəbiyeva", "Ülvi Səmədov", "Uğur Zeynalov"]
IN_ORDER = ["Cavid Rəhimov", "Çingiz Məmmədov", "Elvin Abbasov", "Əli Həsənov", "Hüseyn Qasımov", "Xəyal Orucov",
            "Ilqar Babayev", "İlham Nəsirov", "Kamran Səfərov", "Qafar Kərimov", "Orxan Tağıyev", "Ömər Vəliyev",
            "Sevda Nəbiyeva", "Şahin Quliyev", "Uğur Zeynalov", "Ülvi Səmədov", "Zaur Əliyev"]


def test_the_example_names_sort_as_the_alphabet_says():
    assert sorted_by_name(NAMES) == IN_ORDER


@pytest.fixture
def group(db):
    return [make_member(f"az_{n}", full_name=name, agency=f"Agency {name}") for n, name in enumerate(NAMES)]


def _in_page_order(page, names):
    found = sorted((page.index(name), name) for name in names if name in page)
    return [name for _, name in found]


def test_the_member_list_sorts_names_and_agencies_in_azerbaijani_order(client, admin_member, group):
    login(client, admin_member)
    page = client.get(reverse("member_list")).text
    assert _in_page_order(page, NAMES) == IN_ORDER
    page = client.get(reverse("member_list"), {"sort": "-agency"}).text
    assert _in_page_order(page, [f"Agency {name}" for name in NAMES]) == [f"Agency {n}" for n in IN_ORDER[::-1]]


def test_co_sponsor_choices_are_in_azerbaijani_order(client, concept, group):
    author = group[0]
    login(client, author)
    clause = concept.clauses.get(number="4.1.1")
    page = client.get(reverse("amendment_new", args=[concept.slug, clause.pk, "modify"])).text
    others = [name for name in IN_ORDER if name != author.full_name]  # the author's name is in the header too
    assert _in_page_order(page, others) == others


def test_author_choices_of_the_amendment_list_are_in_azerbaijani_order(client, concept, group):
    clause = concept.clauses.get(number="4.1.1")
    for member in group:
        modify(member, clause, body=f"Text by {member.user.username}.", submit=True)
    login(client, group[0])
    page = client.get(reverse("amendment_list", args=[concept.slug])).text
    select = page[page.index('name="author"'):]
    select = select[:select.index("</select>")]
    assert _in_page_order(select, NAMES) == IN_ORDER


def test_the_access_page_lists_and_offers_members_in_azerbaijani_order(client, concept, admin_member, group):
    login(client, admin_member)
    page = client.get(reverse("document_access", args=[concept.slug])).text
    rows, offered = page.split("<h2>Put a member on the document</h2>")
    assert _in_page_order(rows, NAMES) == IN_ORDER  # everyone is on every document in these tests
    assert _in_page_order(offered, NAMES) == IN_ORDER


TITLES = ["Zəmanət Planı", "Əsas Prinsiplər", "Ehtiyat Strategiyası", "Çevik Doktrina", "Cari Konsepsiya"]


def test_the_document_list_sorts_titles_in_azerbaijani_order(client, admin_member):
    for n, title in enumerate(TITLES):
        import_document(parse(f"# {title}\n\n## 1. Giriş\n\nMətn.\n"), slug=f"doc-{n}")
    login(client, admin_member)
    page = client.get(reverse("document_list")).text
    assert _in_page_order(page, TITLES) == sorted_by_name(TITLES) == [
        "Cari Konsepsiya", "Çevik Doktrina", "Ehtiyat Strategiyası", "Əsas Prinsiplər", "Zəmanət Planı"]


TAGS = ["Ümumi", "Uşaqlar", "İqtisadiyyat", "Ictimai", "Şəhər", "Sülh", "Əmək", "Enerji"]


def test_tags_sort_in_azerbaijani_order_on_the_tag_page_and_in_the_amendment_form(client, concept, admin_member):
    for name in TAGS:
        Tag.objects.create(name=name)
    expected = ["Enerji", "Əmək", "Ictimai", "İqtisadiyyat", "Sülh", "Şəhər", "Uşaqlar", "Ümumi"]
    login(client, admin_member)
    assert _in_page_order(client.get(reverse("tag_list")).text, TAGS) == expected
    clause = concept.clauses.get(number="4.1.1")
    form = client.get(reverse("amendment_new", args=[concept.slug, clause.pk, "modify"])).text
    assert _in_page_order(form, TAGS) == expected


# --- case-insensitive matching --------------------------------------------------------------------------------
def test_a_tag_that_differs_only_in_case_is_refused_whatever_the_i(client, admin_member):
    Tag.objects.create(name="İqtisadi təhlükəsizlik")
    login(client, admin_member)
    for name in ("iqtisadi TƏHLÜKƏSİZLİK", "IQTISADI TƏHLÜKƏSİZLİK", "İQTİSADİ TƏHLÜKƏSİZLİK"):
        response = client.post(reverse("tag_list"), {"name": name})
        assert response.status_code == 200 and "already a tag with that name" in response.text, name
    assert Tag.objects.count() == 1
    assert client.post(reverse("tag_list"), {"name": "Iqtisadi tehlukesizlik"}).status_code == 302  # other letters


def test_a_milestone_name_that_differs_only_in_case_is_refused_whatever_the_i(client, concept, reviewer):
    login(client, reviewer)
    url = reverse("milestone_create", args=[concept.slug])
    assert client.post(url, {"name": "İlkin layihə"}).status_code == 302
    for name in ("ilkin LAYİHƏ", "ILKIN LAYIHƏ"):
        response = client.post(url, {"name": name})
        assert "already has a milestone with that name" in response.text, name
    assert concept.milestones.filter(name__startswith="İlkin").count() == 1


# --- search boxes -----------------------------------------------------------------------------------------------
@pytest.fixture
def leyla(db):
    return make_member("leyla_m", full_name="Leyla Məmmədova", agency="Təhlükəsizlik üçün Şura")


@pytest.mark.parametrize("typed", ["Memmedova", "məmmədova", "MƏMMƏDOVA", "MEMMEDOVA", "leyla memm", "ucun",
                                   "ÜÇÜN", "tehlukesizlik"])
def test_the_member_search_matches_with_or_without_the_special_letters(client, admin_member, leyla, typed):
    login(client, admin_member)
    page = client.get(reverse("member_list"), {"q": typed}).text
    assert "Leyla Məmmədova" in page and admin_member.full_name not in _rows(page)


@pytest.mark.parametrize("typed", ["İlham", "ilham", "ILHAM", "Ilham", "ılham"])
def test_the_member_search_treats_the_dotted_and_dotless_i_alike(client, admin_member, typed):
    make_member("ilham_n", full_name="İlham Nəsirov")
    login(client, admin_member)
    assert "İlham Nəsirov" in _rows(client.get(reverse("member_list"), {"q": typed}).text)


def test_the_member_search_still_finds_nothing_for_another_name(client, admin_member, leyla):
    login(client, admin_member)
    assert "Leyla Məmmədova" not in _rows(client.get(reverse("member_list"), {"q": "Quliyeva"}).text)


def _rows(page):
    return page[page.index("<tbody"):page.index("</tbody>")] if "<tbody" in page else ""


def test_the_audit_filter_by_name_matches_with_or_without_the_special_letters(concept, admin_member, leyla):
    DocumentAccess.grant(concept, leyla, DocumentAccess.Role.READER, by=admin_member)
    leyla.edit(by=admin_member, position="Adviser")
    for typed in ("memmedova", "MƏMMƏDOVA", "Leyla Məmm"):
        kinds = {entry.kind for entry in audit_trail.entries(who=typed)}
        assert {audit_trail.MEMBERS, audit_trail.ACCESS} <= kinds, typed
    assert not audit_trail.entries(who="Quliyeva")


def test_search_words_are_read_strictly_as_text(client, admin_member, leyla):
    """A folded needle is still a plain substring: LIKE wildcards typed in the box match themselves only."""
    login(client, admin_member)
    for typed in ("%", "m%dova", "M_mm_dova"):
        assert "Leyla Məmmədova" not in _rows(client.get(reverse("member_list"), {"q": typed}).text), typed
    assert re.search("Leyla Məmmədova", _rows(client.get(reverse("member_list"), {"q": "ədova"}).text))
