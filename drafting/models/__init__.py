from .amendments import Amendment, NotAllowed, Tag, TransitionError
from .audit import SignInEvent
from .clauses import Clause
from .documents import Document
from .members import Member
from .milestones import Milestone
from .reviews import Review

__all__ = [
    "Amendment", "Clause", "Document", "Member", "Milestone", "NotAllowed", "Review", "SignInEvent", "Tag",
    "TransitionError",
]
