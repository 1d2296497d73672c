"""Walking up ``parent`` links (a sub-group's board, an organisation's parent)."""

from __future__ import annotations

from typing import Any, Protocol


class HasParent(Protocol):
    """A row with a primary key and an optional ``parent`` row of the same kind."""

    @property
    def pk(self) -> Any: ...

    @property
    def parent(self) -> Any: ...


def reaches(start: HasParent, ancestor: HasParent) -> bool:
    """True if ``start`` is ``ancestor`` or one of its parents, however far up, is.

    Rows are compared by primary key, and a walk that comes back to a row it has seen
    stops (a cycle already stored must not hang the check that prevents new ones).
    """
    seen: set[Any] = set()
    current: HasParent | None = start
    while current is not None and current.pk not in seen:
        if current.pk == ancestor.pk:
            return True
        seen.add(current.pk)
        current = current.parent
    return False
