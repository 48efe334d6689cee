from .audit import SignInEvent
from .clauses import Clause
from .documents import Document
from .members import Member

__all__ = ["Clause", "Document", "Member", "SignInEvent"]
