from .amendments import Amendment, NotAllowed, StaleEdit, Tag, TransitionError
from .audit import SignInEvent
from .clauses import Clause, Numbering
from .comments import Comment
from .document_access import DocumentAccess, ExportEvent
from .documents import Document
from .members import Member
from .milestones import Milestone
from .notifications import Notification
from .rapporteurs import Rapporteur, ReviewRequest
from .reviews import Review
from .search import SearchEntry
from .sessions import SessionRecord
from .sponsorships import SponsorshipEvent
from .suggestions import Suggestion

__all__ = [
    "Amendment", "Clause", "Comment", "Document", "DocumentAccess", "ExportEvent", "Member", "Milestone", "NotAllowed",
    "Notification", "Numbering", "Rapporteur", "Review", "ReviewRequest", "SearchEntry", "SessionRecord", "SignInEvent",
    "SponsorshipEvent", "StaleEdit", "Suggestion", "Tag", "TransitionError",
]
