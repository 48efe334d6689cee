from .amendments import Amendment, NotAllowed, Tag, TransitionError
from .clauses import Clause
from .comments import Comment
from .documents import Document
from .members import Member
from .notifications import Notification
from .reviews import Review

__all__ = [
    "Amendment", "Clause", "Comment", "Document", "Member", "NotAllowed", "Notification", "Review", "Tag",
    "TransitionError",
]
