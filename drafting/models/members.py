"""Members of the working group and what each role may do.

The capability methods are the one place where roles turn into permissions: views, templates and model
methods ask `member.can_review(amendment)`, never compare role strings themselves.
"""
from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Member(models.Model):
    class Role(models.TextChoices):
        DRAFTER = "drafter", "Drafter"
        REVIEWER = "reviewer", "Reviewer"
        ADMIN = "admin", "Admin"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member")
    full_name = models.CharField(max_length=200)
    agency = models.CharField(max_length=300, blank=True)
    position = models.CharField(max_length=300, blank=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.DRAFTER)
    email_notifications = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.display_name

    @property
    def is_active(self):
        return self.user.is_active

    @property
    def display_name(self):
        """Name as shown beside their work; a deactivated member's work stays, marked as such."""
        return self.full_name if self.is_active else f"{self.full_name} (former member)"

    # Capabilities. Reviewers can do all a drafter can; admins all a reviewer can.
    def can_read(self):
        return self.is_active

    def can_propose(self):
        return self.is_active

    def can_comment(self):
        return self.is_active

    def can_review(self, amendment=None):
        """Reviewers and admins review, but never an amendment they wrote or co-sponsor."""
        if not self.is_active or self.role not in (self.Role.REVIEWER, self.Role.ADMIN):
            return False
        if amendment is not None and amendment.is_sponsored_by(self):
            return False
        return True

    def can_set_milestones(self):
        """Naming a moment of the document ("Draft for consultation") is for reviewers and admins."""
        return self.is_active and self.role in (self.Role.REVIEWER, self.Role.ADMIN)

    def can_manage_members(self):
        return self.is_active and self.role == self.Role.ADMIN

    def can_manage_documents(self):
        """Document settings such as the quorum, and the topic-tag list."""
        return self.is_active and self.role == self.Role.ADMIN


def member_of(user):
    """The active Member behind a user, or None for anonymous users, outsiders and deactivated members."""
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.member
    except Member.DoesNotExist:
        return None
