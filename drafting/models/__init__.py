from .amendments import Amendment, Tag, TransitionError
from .clauses import Clause
from .documents import Document
from .members import Member
from .milestones import Milestone
from .reviews import Review

__all__ = ["Amendment", "Clause", "Document", "Member", "Milestone", "Review", "Tag", "TransitionError"]
