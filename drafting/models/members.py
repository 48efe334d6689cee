"""Members of the working group, what each role may do, and the rules for changing the member list.

The capability methods are the one place where roles turn into permissions: views, templates and model
methods ask `member.can_review(amendment)`, never compare role strings themselves.

Every change to the member list goes through a method here (`add`, `edit`, `deactivate`, `reactivate`), so
the in-app pages, the `create_member` command and any future caller apply the same rules (one active admin
at least, unique email) and leave the same history: one Member history row per change, with who made it,
a plain-language reason, and the account's state (active, email) at that moment.
"""
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from ..azerbaijani import Folded, fold
from .history import attribute, english

LAST_ADMIN = _("The working group must keep at least one active admin: make another member an admin first.")
DUPLICATE_EMAIL = _("A member with this email address already exists.")
UNKNOWN_ROLE = _("Choose one of the roles: drafter, reviewer or admin.")
# The note end_sessions leaves in a signed-out session: why that browser was signed out.
SIGNED_OUT_KEY = "drafting_signed_out"
DEACTIVATED = "deactivated"


class AccountStateOnHistory(models.Model):
    """Extra columns on Member history rows: activity and email live on the User, but belong to the record."""

    account_active = models.BooleanField(null=True)
    account_email = models.EmailField(blank=True, default="")

    class Meta:
        abstract = True


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(user__is_active=True)

    def active_admins(self):
        return self.active().filter(role=Member.Role.ADMIN)

    def search(self, text):
        """Members whose name, agency, position, email or username hold every word typed, with or without the
        Azerbaijani letters and in any case ("memmedova" finds Məmmədova, "İLHAM" finds Ilham)."""
        fields = ("full_name", "agency", "position", "user__email", "user__username")
        queryset = self.alias(**{f"folded_{n}": Folded(name) for n, name in enumerate(fields)})
        for word in text.split():
            matches = Q()
            for n in range(len(fields)):
                matches |= Q(**{f"folded_{n}__contains": fold(word)})
            queryset = queryset.filter(matches)
        return queryset


class Member(models.Model):
    class Role(models.TextChoices):
        DRAFTER = "drafter", _("Drafter")
        REVIEWER = "reviewer", _("Reviewer")
        ADMIN = "admin", _("Admin")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member", verbose_name=_("user"))
    full_name = models.CharField(max_length=200, verbose_name=_("full name"))
    agency = models.CharField(max_length=300, blank=True, verbose_name=_("agency"))
    position = models.CharField(max_length=300, blank=True, verbose_name=_("position"))
    class EmailFrequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Each notification by email, at once")
        DAILY = "daily", _("A daily digest by email")
        WEEKLY = "weekly", _("A weekly digest by email, on Mondays")
        NONE = "none", _("No email: the inbox only")

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.DRAFTER, verbose_name=_("role"))
    email_frequency = models.CharField(max_length=10, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE,
                                       verbose_name=_("email frequency"))
    # Where the member's next digest starts (drafting/digests.py); written only by the digest, under its row lock.
    last_digest_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last digest sent at"))
    # The interface language of the member's pages and emails; blank: the deployment's LANGUAGE_CODE.
    language = models.CharField(max_length=10, blank=True, choices=settings.LANGUAGES, verbose_name=_("language"))
    history = HistoricalRecords(bases=[AccountStateOnHistory])

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return self.display_name

    @property
    def is_active(self):
        return self.user.is_active

    @property
    def email(self):
        return self.user.email

    @property
    def wants_digest(self):
        return self.email_frequency in (self.EmailFrequency.DAILY, self.EmailFrequency.WEEKLY)

    @property
    def interface_language(self):
        """The language of this member's pages and emails: their own choice, else the deployment's LANGUAGE_CODE."""
        return self.language or settings.LANGUAGE_CODE

    def choose_language(self, language):
        """The header's switcher: kept like any edit of one's own record (history, reason), and only if it changed."""
        return self.edit(by=self, language=language)

    @property
    def display_name(self):
        """Name as shown beside their work; a deactivated member's work stays, marked as such."""
        return self.full_name if self.is_active else gettext("%(name)s (former member)") % {"name": self.full_name}

    # Capabilities. Deployment-wide, a reviewer can do all a drafter can and an admin all a reviewer can. On one
    # document the member's role there (DocumentAccess) decides; admins keep every capability on every document.
    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN

    def role_on(self, document):
        """This member's DocumentAccess role on `document` (a Document or its id; "admin" for deployment admins),
        or None when they are not on it.

        A role found is kept on the instance (a request's member asks once per page, not once per comment); an
        absence is not, so a grant counts at once. `DocumentAccess.grant`/`revoke` forget what the instance
        they are given kept; a Member loaded per request (as `request.member` is) never holds an old answer.
        """
        if self.is_admin:
            return self.Role.ADMIN
        from .document_access import DocumentAccess

        document_id = getattr(document, "pk", document)
        known = self.__dict__.setdefault("_roles_on_documents", {})
        if document_id not in known:
            rows = DocumentAccess.objects.filter(member_id=self.pk, document_id=document_id)
            role = rows.values_list("role", flat=True).first()
            if role is None:
                return None
            known[document_id] = role
        return known[document_id]

    def _role_on_in(self, document, roles):
        if not self.is_active:
            return False
        if document is None:
            return True
        role = self.role_on(document)
        return role == self.Role.ADMIN or role in roles

    def can_read(self, document=None):
        return self._role_on_in(document, ("drafter", "reviewer", "reader"))

    def can_propose(self, document=None):
        """Readers read and comment, but never propose."""
        return self._role_on_in(document, ("drafter", "reviewer"))

    def can_comment(self, document=None):
        return self._role_on_in(document, ("drafter", "reviewer", "reader"))

    def can_review(self, amendment=None, *, document=None):
        """Reviewers (on the amendment's document) and admins review, but never an amendment they wrote or
        co-sponsor, nor a compromise that combines one they wrote or co-sponsor."""
        if not self.is_active:
            return False
        document = amendment.document_id if amendment is not None else document
        if document is None:
            if self.role not in (self.Role.REVIEWER, self.Role.ADMIN):
                return False
        elif not self._role_on_in(document, ("reviewer",)):
            return False
        if amendment is not None and (amendment.author_id == self.pk or amendment.was_cosponsor_this_round(self)):
            return False
        if amendment is not None and amendment.is_compromise and amendment.supersedes_work_of(self):
            return False
        return True

    def can_set_milestones(self, document):
        """Naming a moment of the document ("Draft for consultation") is for its reviewers and admins: asked per
        document only, since a reviewer of the deployment may be a reader on this document."""
        return self._role_on_in(document, ("reviewer",))

    def can_assign_rapporteurs(self, document):
        """Naming a rapporteur for a section and ending the assignment: the document's reviewers and admins."""
        return self._role_on_in(document, ("reviewer",))

    def can_manage_members(self):
        return self.is_active and self.role == self.Role.ADMIN

    def can_manage_documents(self):
        """Document settings such as the quorum, the marking and who is on the document; the topic-tag list."""
        return self.is_active and self.role == self.Role.ADMIN

    def can_see_audit(self):
        return self.can_manage_members()

    # Changes to the member list.
    @classmethod
    def add(cls, *, full_name, email, role, agency="", position="", by=None):
        """A new member whose account has no password yet: they choose one through their invitation link.

        The email address doubles as the username, so members sign in with the address they were invited at.
        """
        email = get_user_model().objects.normalize_email(email).strip()
        _check_role(role)
        _check_email_free(email)
        with transaction.atomic():
            user = get_user_model()(username=email.lower(), email=email)
            user.set_unusable_password()
            user.save()
            member = cls(user=user, full_name=full_name, agency=agency, position=position, role=role)
            member._record(by, f"added as {role}")  # the record is in English: drafting/models/history.py
        return member

    def edit(self, *, by=None, **changes):
        """Change name, agency, position, email, notifications or role; a role change keeps the last admin."""
        changed = [name for name, value in changes.items() if value != getattr(self, name)]
        if not changed:
            return []
        if "role" in changed:
            _check_role(changes["role"])
        if "email" in changed:
            _check_email_free(changes["email"], exclude=self.user)
        with transaction.atomic():
            if "role" in changed and self.role == self.Role.ADMIN:
                self._refuse_if_last_admin()
            reasons = []
            for name in changed:
                if name == "role":
                    reasons.append(f"role {self.role} → {changes['role']}")
                    if changes["role"] != self.Role.ADMIN:
                        # Leaving the admin role also ends Django admin access; granting that stays an
                        # operator's decision (create_member --staff), never a side effect of a role change.
                        self.user.is_staff = self.user.is_superuser = False
                elif name == "email_frequency":
                    reasons.append(f"email frequency {self.email_frequency} → {changes[name]}")
                    if changes[name] in (self.EmailFrequency.DAILY, self.EmailFrequency.WEEKLY) and not self.wants_digest:
                        # The first digest starts now: what came before was emailed at once, or not wanted. (From
                        # daily to weekly it goes on from the last digest, so nothing is lost between the two.)
                        self.last_digest_at = timezone.now()
                elif name == "email":
                    reasons.append(f"email {self.user.email} → {changes['email']}")
                    if self.user.username == self.user.email.lower():
                        self.user.username = changes["email"].lower()  # invited members sign in with it
                    self.user.email = changes["email"]
                else:
                    reasons.append(f"{english(self._meta.get_field(name).verbose_name)} changed")
                if name != "email":
                    setattr(self, name, changes[name])
            if {"role", "email"} & set(changed):
                self.user.save()
            self._record(by, "; ".join(reasons))
        return changed

    def deactivate(self, *, by=None):
        """End membership: sign-in refused and open sessions ended at once; their work stays, attributed."""
        if not self.is_active:
            return
        with transaction.atomic():
            if self.role == self.Role.ADMIN:
                self._refuse_if_last_admin()
            self.user.is_active = False
            self.user.save(update_fields=["is_active"])
            self._record(by, "deactivated")
            self.end_sessions()

    def reactivate(self, *, by=None):
        if self.is_active:
            return
        with transaction.atomic():
            self.user.is_active = True
            self.user.save(update_fields=["is_active"])
            self._record(by, "reactivated")

    def end_sessions(self):
        """Sign out every session signed in as this member, leaving only a note of why.

        Django already refuses an inactive user on their next request; emptying the sessions as well means
        nothing of theirs is left to be revived. Each keeps one key, SIGNED_OUT_KEY, so the sign-in page that
        browser lands on next can say the membership was deactivated instead of appearing for no reason.
        Sessions are not indexed by user, so this decodes the live ones: a working group has tens of members,
        not millions of sessions.
        """
        from django.contrib.sessions.backends.db import SessionStore
        from django.contrib.sessions.models import Session

        own = str(self.user_id)
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if session.get_decoded().get(SESSION_KEY) == own:
                store = SessionStore(session_key=session.session_key)
                store.clear()
                store[SIGNED_OUT_KEY] = DEACTIVATED
                store.save()

    def sign_out_everywhere(self, *, by=None):
        """An admin ends every session of this member (a lost laptop): each browser is signed out on its next
        request. Recorded in the member's history, so the audit page shows who did it and when."""
        with transaction.atomic():
            ended = self._delete_sessions()
            self._record(by, "signed out everywhere")
        return ended

    def reset_two_factor(self, *, by=None):
        """Remove the member's authenticator app and backup codes (a lost phone). Their sessions end too, so
        whoever holds one must sign in again; recorded in the member's history for the audit page."""
        from .. import two_factor

        with transaction.atomic():
            two_factor.reset(self.user)
            self._delete_sessions()
            self._record(by, "two-factor sign-in reset; signed out everywhere")

    def _delete_sessions(self):
        from django.contrib.sessions.models import Session

        from .sessions import SessionRecord

        own = str(self.user_id)
        # Decoded rather than read from SessionRecord alone, so a session that has no record yet ends too.
        keys = [session.session_key for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
                if session.get_decoded().get(SESSION_KEY) == own]
        Session.objects.filter(session_key__in=keys).delete()
        SessionRecord.objects.filter(user_id=self.user_id).delete()
        return len(keys)

    def _refuse_if_last_admin(self):
        # Lock every active admin row (self included) so two admins demoting each other at the same moment
        # cannot both pass the check; on SQLite the IMMEDIATE transaction serialises writers instead.
        admins = list(Member.objects.active_admins().select_for_update().values_list("pk", flat=True))
        if not [pk for pk in admins if pk != self.pk]:
            raise ValidationError(LAST_ADMIN, code="last_admin")

    def _record(self, by, reason):
        attribute(self, user=getattr(by, "user", by), reason=reason)
        self.save()


def _check_role(role):
    if role not in Member.Role.values:
        raise ValidationError({"role": UNKNOWN_ROLE}, code="unknown_role")


def _check_email_free(email, exclude=None):
    users = get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    if users.exists():
        raise ValidationError({"email": DUPLICATE_EMAIL}, code="duplicate_email")


@receiver(pre_create_historical_record)
def _copy_account_state(sender, instance, history_instance, **kwargs):
    if isinstance(instance, Member):
        history_instance.account_active = instance.user.is_active
        history_instance.account_email = instance.user.email


def member_of(user):
    """The active Member behind a user, or None for anonymous users, outsiders and deactivated members."""
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.member
    except Member.DoesNotExist:
        return None
