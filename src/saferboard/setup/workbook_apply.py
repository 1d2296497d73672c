"""Applying a set-up workbook: create or update by natural key, all or nothing.

Rows are found by their natural key (an organisation by name, a person by email, a
priority by number, a commitment by its number under its priority and parent, a board by
name); a new key creates, a known one updates, and a row that matches what is stored is
unchanged. Rows the workbook leaves out are not touched. Everything happens in one
transaction: any problem (located by sheet, row, column and value) undoes the lot, and a
dry run undoes it on purpose after counting what would change.

Two rules protect access: the workbook never makes sign-in accounts, and it never changes
the roles of the person importing it (nobody grants themselves access; another
administrator must). Panel seats are not in the workbook at all.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Model, ProtectedError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from saferboard.core.audit import record, record_change, snapshot
from saferboard.core.hierarchy import reaches
from saferboard.core.importing.pipeline import run_import
from saferboard.core.models import (
    AuditAction,
    Membership,
    Organisation,
    Partnership,
    Person,
    User,
)
from saferboard.crime.problems import Problem
from saferboard.meetings import boards
from saferboard.meetings.models import Board, BoardMember
from saferboard.setup.workbook_export import CHAIR, _board_row, current_strategy
from saferboard.setup.workbook_reader import LocatedRow, ReadWorkbook, parse_day
from saferboard.setup.workbook_schema import (
    ROLE_WORDS,
    board_kind_value,
    organisation_type_value,
    role_value,
    sheet_by_key,
    sheets,
)
from saferboard.strategy.models import Priority, Strategy
from saferboard.strategy.setup import CommitmentChanges, SetupRefused, Who, save_commitment

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class RowChange:
    """What applying one row did (or would do): its outcome and the values it changed."""

    sheet: str
    row: int
    key: str
    outcome: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "key": self.key,
            "outcome": self.outcome,
            "before": self.before,
            "after": self.after,
        }


@dataclass
class ImportReport:
    """Every row's outcome, in sheet and row order."""

    changes: list[RowChange]
    dry_run: bool

    def counts(self) -> dict[str, dict[str, int]]:
        """Sheet title → how many rows were created, updated and unchanged."""
        counts = {s.title: {CREATED: 0, UPDATED: 0, UNCHANGED: 0} for s in sheets()}
        for change in self.changes:
            counts[change.sheet][change.outcome] += 1
        return counts

    def lines(self) -> list[str]:
        """One line per sheet, e.g. 'People: 3 created, 1 updated, 20 unchanged'."""
        return [
            f"{sheet}: {c[CREATED]} created, {c[UPDATED]} updated, {c[UNCHANGED]} unchanged"
            for sheet, c in self.counts().items()
        ]

    @property
    def changed(self) -> bool:
        return any(c.outcome != UNCHANGED for c in self.changes)


class WorkbookRejected(Exception):
    """The workbook was refused as a whole; nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


def import_workbook(
    workbook: ReadWorkbook,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
    dry_run: bool = False,
    file_name: str = "",
) -> ImportReport:
    """Apply a read workbook to the partnership, all or nothing; raise
    :class:`WorkbookRejected` listing every problem. A dry run changes nothing."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    steps = _WorkbookImport(workbook, actor, request, actor_label, dry_run, file_name)
    try:
        _, report = run_import(steps)
        return report
    except _DryRunDone as done:
        return done.report


class _DryRunDone(Exception):
    """Raised inside the import's transaction to roll a dry run back, with its report."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("dry run")
        self.report = report


class _WorkbookImport:
    """The set-up workbook's steps for :func:`run_import`. Its refusals keep their own
    exception (:class:`WorkbookRejected`, every problem), as the pages and the command
    show them."""

    def __init__(
        self,
        workbook: ReadWorkbook,
        actor: User | None,
        request: HttpRequest | None,
        actor_label: str,
        dry_run: bool,
        file_name: str,
    ) -> None:
        self.workbook = workbook
        self.actor = actor
        self.request = request
        self.actor_label = actor_label
        self.dry_run = dry_run
        self.file_name = file_name

    def check(self) -> Sequence[Problem]:
        if self.workbook.problems:
            raise WorkbookRejected(self.workbook.problems)
        return ()

    def stage(self) -> ReadWorkbook:
        return self.workbook

    def commit(self, workbook: ReadWorkbook) -> tuple[Partnership, ImportReport]:
        # Each row is checked against what the rows before it made (a person's
        # organisation may be on the sheet above), so the late problems are found here,
        # in the transaction, and refuse the whole workbook.
        partnership = _partnership(self.actor)
        if partnership is None:
            raise WorkbookRejected(
                [Problem("Partnership", "There is no partnership yet: run `saferboard init` first")]
            )
        run = _Run(partnership, self.actor, self.request, self.actor_label)
        run.apply(workbook.rows)
        if run.problems:
            raise WorkbookRejected(sorted(run.problems, key=_problem_order))
        order = {s.title: i for i, s in enumerate(sheets())}
        changes = sorted(run.changes, key=lambda c: (order[c.sheet], c.row))
        return partnership, ImportReport(changes, self.dry_run)

    def provenance(self, result: tuple[Partnership, ImportReport]) -> None:
        """The audit record below names the file; each change is audited as it is made."""

    def audit(self, result: tuple[Partnership, ImportReport]) -> None:
        partnership, report = result
        if self.dry_run:
            raise _DryRunDone(report)
        record(
            AuditAction.SETTINGS_CHANGE,
            actor=self.actor,
            obj=partnership,
            request=self.request,
            actor_label=self.actor_label,
            what="set-up workbook import",
            file=self.file_name[:200],
            counts=report.counts(),
        )

    def refresh(self, result: tuple[Partnership, ImportReport]) -> None:
        """Nothing to recompute: set-up rows carry no figures."""


def _problem_order(problem: Problem) -> tuple[int, int]:
    order = {s.title: i for i, s in enumerate(sheets())}
    return order.get(problem.file, -1), problem.row or 0


def _partnership(actor: User | None) -> Partnership | None:
    partnerships = Partnership.objects.all()
    if actor is not None and partnerships.count() > 1:
        mine = partnerships.filter(organisations__pk__in=actor.organisation_ids()).first()
        if mine is not None:
            return mine
    return partnerships.order_by("pk").first()


def suggestion(value: str, names: Iterable[str]) -> str:
    """'; did you mean 'X'?' for the name nearest ``value``, or ''."""
    names = list(names)
    lowered = {n.lower(): n for n in names}
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.5)
    if not close:
        words = value.lower().split()
        close = [
            n
            for n in lowered
            if words and all(any(w.startswith(v) for w in n.split()) for v in words)
        ][:1]
    return f"; did you mean {lowered[close[0]]!r}?" if close else ""


ORGANISATION_FIELDS = ["name", "type", "parent"]
PERSON_FIELDS = ["full_name", "email", "organisation"]
MEMBERSHIP_FIELDS = ["person", "organisation", "role", "start_date", "end_date"]
PRIORITY_FIELDS = ["title", "ambition"]
COMMITMENT_FIELDS = ["title", "lead_organisation", "parent", "contributors"]


class _Run:
    """One application of a workbook: the lookups it builds up and what it found."""

    def __init__(
        self,
        partnership: Partnership,
        actor: User | None,
        request: HttpRequest | None,
        actor_label: str,
    ) -> None:
        self.partnership = partnership
        self.actor = actor
        self.request = request
        self.actor_label = actor_label
        self.today = timezone.localdate()
        self.problems: list[Problem] = []
        self.changes: list[RowChange] = []
        self.strategy: Strategy | None = current_strategy(partnership)
        self.organisations = {
            o.name.lower(): o for o in Organisation.objects.filter(partnership=partnership)
        }
        self.people: dict[str, Person] = {}
        for person in (
            Person.objects.filter(organisation__partnership=partnership)
            .exclude(email="")
            .order_by("-pk")
        ):
            self.people[person.email.lower()] = person  # the oldest wins

    # -- helpers ---------------------------------------------------------------------

    def problem(self, sheet_key: str, row: int, key: str | None, message: str, value: str) -> None:
        sheet = sheet_by_key(sheet_key)
        header = sheet.column(key).header if key else None
        self.problems.append(Problem(sheet.title, message, row, header, value))

    def done(
        self,
        sheet_key: str,
        row: int,
        key: str,
        obj: Model,
        before: dict[str, Any] | None,
        after: dict[str, Any],
        *,
        audit: bool = True,
    ) -> None:
        """Note a row's outcome and audit the change (who, when, before, after)."""
        if before is None:
            outcome = CREATED
        elif before != after:
            outcome = UPDATED
        else:
            outcome = UNCHANGED
        changed = sorted(k for k in after if (before or {}).get(k) != after.get(k))
        self.changes.append(
            RowChange(
                sheet_by_key(sheet_key).title,
                row,
                key,
                outcome,
                {k: (before or {}).get(k) for k in changed} if before is not None else {},
                {k: after.get(k) for k in changed},
            )
        )
        if audit and outcome != UNCHANGED:
            record_change(
                obj,
                before=before,
                after=after,
                actor=self.actor,
                request=self.request,
                actor_label=self.actor_label,
                via="set-up workbook",
            )

    def organisation(self, sheet_key: str, row: int, key: str, name: str) -> Organisation | None:
        found = self.organisations.get(name.lower())
        if found is None:
            self.problem(
                sheet_key,
                row,
                key,
                f"{name!r} is not an organisation in this workbook or the partnership"
                + suggestion(name, [o.name for o in self.organisations.values()]),
                name,
            )
        return found

    def person(self, sheet_key: str, row: int, key: str, email: str) -> Person | None:
        found = self.people.get(email.lower())
        if found is None:
            self.problem(
                sheet_key,
                row,
                key,
                f"{email!r} is not the email of a person in this workbook or the partnership"
                + suggestion(email, [p.email for p in self.people.values()]),
                email,
            )
        return found

    def end(self, obj: Membership | BoardMember) -> None:
        """End a role or seat from today: it was last held yesterday. One that began
        today or later never took effect, so it is removed instead."""
        yesterday = self.today - timedelta(days=1)
        if obj.start_date <= yesterday:
            obj.end_date = yesterday
            obj.save(update_fields=["end_date"])
            return
        try:
            with transaction.atomic():
                obj.delete()
        except ProtectedError:
            obj.end_date = obj.start_date
            obj.save(update_fields=["end_date"])

    def permission_change(self, membership: Membership, before: dict[str, Any] | None) -> None:
        """Audit a role given or ended as a permission change, as the people pages do."""
        after = snapshot(membership, MEMBERSHIP_FIELDS) if membership.pk else None
        record_change(
            membership,
            before=before,
            after=after,
            actor=self.actor,
            request=self.request,
            action=AuditAction.PERMISSION_CHANGE,
            actor_label=self.actor_label,
            via="set-up workbook",
        )

    # -- sheets ----------------------------------------------------------------------

    def apply(self, rows: dict[str, list[LocatedRow]]) -> None:
        for number, row in rows.get("partnership", [])[:1]:
            self.apply_partnership(number, row)
        self.apply_organisations(rows.get("organisations", []))
        for number, row in rows.get("people", []):
            self.apply_person(number, row)
        for number, row in rows.get("priorities", []):
            self.apply_priority(number, row)
        commitments = rows.get("commitments", [])
        for number, row in [r for r in commitments if not r[1]["parent"]]:
            self.apply_commitment(number, row)
        for number, row in [r for r in commitments if r[1]["parent"]]:
            self.apply_commitment(number, row)
        self.apply_boards(rows.get("boards", []))

    def apply_partnership(self, number: int, row: dict[str, Any]) -> None:
        partnership = self.partnership
        before = snapshot(partnership, ["name"])
        strategy = None
        if row["strategy"]:
            strategy = partnership.strategies.filter(title__iexact=row["strategy"]).first()
        if strategy is not None:
            before |= {
                "strategy": strategy.title,
                "strategy_start": strategy.start_date.isoformat(),
                "strategy_end": strategy.end_date.isoformat(),
            }
        elif row["strategy"]:
            before |= {"strategy": None, "strategy_start": None, "strategy_end": None}
        if row["name"] != partnership.name:
            if Partnership.objects.filter(name=row["name"]).exclude(pk=partnership.pk).exists():
                self.problem(
                    "partnership", number, "name", "Another partnership has this name", row["name"]
                )
                return
            partnership.name = row["name"]
            partnership.save(update_fields=["name"])
        after = snapshot(partnership, ["name"])
        if row["strategy"]:
            start, end = parse_day(row["strategy_start"]), parse_day(row["strategy_end"])
            if strategy is None:
                strategy = Strategy.objects.create(
                    partnership=partnership, title=row["strategy"], start_date=start, end_date=end
                )
            else:
                strategy.title, strategy.start_date, strategy.end_date = row["strategy"], start, end
                strategy.save(update_fields=["title", "start_date", "end_date"])
            self.strategy = strategy
            after |= {
                "strategy": strategy.title,
                "strategy_start": start.isoformat(),
                "strategy_end": end.isoformat(),
            }
        self.done("partnership", number, partnership.name, partnership, before, after)

    def apply_organisations(self, rows: list[LocatedRow]) -> None:
        pending: list[tuple[int, dict[str, Any], Organisation, dict[str, Any] | None]] = []
        for number, row in rows:
            organisation = self.organisations.get(row["name"].lower())
            kind = organisation_type_value(row["type"]) or ""
            before = snapshot(organisation, ORGANISATION_FIELDS) if organisation else None
            if organisation is None:
                organisation = Organisation(
                    partnership=self.partnership,
                    name=row["name"],
                    slug=self._organisation_slug(row["name"]),
                    type=kind,
                    start_date=self.today,
                )
            organisation.name, organisation.type = row["name"], kind
            organisation.save()
            self.organisations[row["name"].lower()] = organisation
            pending.append((number, row, organisation, before))
        for number, row, organisation, before in pending:
            parent = None
            if row["parent"]:
                parent = self.organisation("organisations", number, "parent", row["parent"])
                if parent is not None and reaches(parent, organisation):
                    self.problem(
                        "organisations",
                        number,
                        "parent",
                        f"{row['parent']!r} is part of {row['name']!r}: "
                        "parents cannot go round in a circle",
                        row["parent"],
                    )
                    continue
            if organisation.parent_id != (parent.pk if parent else None):
                organisation.parent = parent
                organisation.save(update_fields=["parent"])
            after = snapshot(organisation, ORGANISATION_FIELDS)
            self.done("organisations", number, organisation.name, organisation, before, after)

    def _organisation_slug(self, name: str) -> str:
        base = slugify(name)[:70] or "organisation"
        taken = set(
            Organisation.objects.filter(partnership=self.partnership).values_list("slug", flat=True)
        )
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _is_actor(self, person: Person | None, email: str) -> bool:
        actor = self.actor
        if actor is None:
            return False
        if person is not None and person.user_id == actor.pk:
            return True
        return bool(actor.email) and actor.email.lower() == email.lower()

    def apply_person(self, number: int, row: dict[str, Any]) -> None:
        organisation = self.organisation("people", number, "organisation", row["organisation"])
        if organisation is None:
            return
        person = self.people.get(row["email"].lower())
        wanted = {role_value(w) or "" for w in row["roles"]}
        active = person.memberships.active_on(self.today) if person else Membership.objects.none()
        current = set(active.values_list("role", flat=True))
        if wanted != current and self._is_actor(person, row["email"]):
            self.problem(
                "people",
                number,
                "roles",
                "These are your own roles: nobody grants themselves access, so the workbook "
                "never changes them (ask another administrator)",
                ", ".join(row["roles"]),
            )
            return
        before = None
        if person is not None:
            before = snapshot(person, PERSON_FIELDS) | {"roles": self._role_words(current)}
        else:
            person = Person(email=row["email"])
        person.full_name, person.organisation = row["name"], organisation
        person.save()
        self.people[row["email"].lower()] = person
        for role in sorted(wanted - current):
            membership = Membership.objects.create(
                person=person, organisation=organisation, role=role, start_date=self.today
            )
            self.permission_change(membership, None)
        for membership in active.filter(role__in=current - wanted):
            before_role, pk = snapshot(membership, MEMBERSHIP_FIELDS), membership.pk
            self.end(membership)
            membership.pk = membership.pk or pk  # a withdrawn role is audited by its old id
            self.permission_change(membership, before_role)
        after = snapshot(person, PERSON_FIELDS) | {"roles": self._role_words(wanted)}
        self.done("people", number, person.email, person, before, after)

    @staticmethod
    def _role_words(roles: set[str]) -> list[str]:
        order = list(ROLE_WORDS)
        return [ROLE_WORDS[r] for r in sorted(roles, key=order.index)]

    def apply_priority(self, number: int, row: dict[str, Any]) -> None:
        if self.strategy is None:
            self.problem(
                "priorities",
                number,
                "number",
                "There is no strategy yet: fill in Strategy, Strategy start and Strategy end "
                "on the Partnership sheet",
                row["number"],
            )
            return
        priority = self.strategy.priorities.filter(number=int(row["number"])).first()
        before = snapshot(priority, PRIORITY_FIELDS) if priority else None
        if priority is None:
            priority = Priority(strategy=self.strategy, number=int(row["number"]))
        priority.title, priority.ambition = row["title"], row["ambition"]
        priority.save()
        self.done(
            "priorities",
            number,
            f"Priority {row['number']}",
            priority,
            before,
            snapshot(priority, PRIORITY_FIELDS),
        )

    def apply_commitment(self, number: int, row: dict[str, Any]) -> None:
        priority = (
            self.strategy.priorities.filter(number=int(row["priority"])).first()
            if self.strategy
            else None
        )
        if priority is None:
            self.problem(
                "commitments",
                number,
                "priority",
                f"Priority {row['priority']} is not on the Priorities sheet or in the strategy",
                row["priority"],
            )
            return
        parent = None
        if row["parent"]:
            parent_number = int(row["parent"].split(".")[-1])
            parent = priority.commitments.filter(parent__isnull=True, number=parent_number).first()
            if parent is None:
                self.problem(
                    "commitments",
                    number,
                    "parent",
                    f"Commitment {row['parent']} is not on the Commitments sheet "
                    "or in the strategy",
                    row["parent"],
                )
                return
        lead = None
        if row["lead_organisation"]:
            lead = self.organisation(
                "commitments", number, "lead_organisation", row["lead_organisation"]
            )
        contributors = [
            self.organisation("commitments", number, "contributing_organisations", name)
            for name in row["contributing_organisations"]
        ]
        if (row["lead_organisation"] and lead is None) or None in contributors:
            return
        local = int(row["number"].split(".")[-1])
        siblings = parent.children if parent else priority.commitments.filter(parent__isnull=True)
        commitment = siblings.filter(number=local).first()
        before = snapshot(commitment, COMMITMENT_FIELDS) if commitment else None
        try:
            # The strategy's own set-up service: its numbering rules, contributions
            # created, ended or re-opened in step with the contributors, and its audit.
            commitment = save_commitment(
                priority,
                CommitmentChanges(
                    title=row["text"],
                    number=local,
                    lead_organisation=lead,
                    contributors=[c for c in contributors if c is not None],
                ),
                parent=parent,
                commitment=commitment,
                who=Who(actor=self.actor, request=self.request),
            )
        except SetupRefused as refused:
            column = "number" if refused.field == "number" else None
            self.problem("commitments", number, column, refused.message, row["number"])
            return
        after = snapshot(commitment, COMMITMENT_FIELDS)
        self.done(
            "commitments",
            number,
            f"Commitment {row['number']}",
            commitment,
            before,
            after,
            audit=False,  # save_commitment audited it
        )

    def apply_boards(self, rows: list[LocatedRow]) -> None:
        existing = {b.name.lower(): b for b in Board.objects.filter(partnership=self.partnership)}
        in_sheet = {row["name"].lower() for _, row in rows}
        waiting = list(rows)
        done: set[str] = set()
        while waiting:
            ready = [
                r
                for r in waiting
                if not r[1]["parent"]
                or r[1]["parent"].lower() in done
                or r[1]["parent"].lower() not in in_sheet
            ]
            if not ready:
                for number, row in waiting:
                    self.problem(
                        "boards",
                        number,
                        "parent",
                        "Boards cannot report to each other in a circle",
                        row["parent"],
                    )
                return
            for number, row in ready:
                self.apply_board(number, row, existing)
                done.add(row["name"].lower())
                waiting.remove((number, row))

    def apply_board(self, number: int, row: dict[str, Any], existing: dict[str, Board]) -> None:
        board = existing.get(row["name"].lower())
        parent = None
        if row["parent"]:
            parent = existing.get(row["parent"].lower())
            if parent is None:
                self.problem(
                    "boards",
                    number,
                    "parent",
                    f"{row['parent']!r} is not a board in this workbook or the partnership"
                    + suggestion(row["parent"], [b.name for b in existing.values()]),
                    row["parent"],
                )
                return
        chair = self.person("boards", number, "chair", row["chair"]) if row["chair"] else None
        members = [self.person("boards", number, "members", e) for e in row["members"]]
        if (row["chair"] and chair is None) or None in members:
            return
        kind = board_kind_value(row["kind"]) or ""
        before = _board_row(board, self.today) if board else None
        try:
            with transaction.atomic():
                board = _save_board(self, board, row["name"], kind, parent)
        except _BoardRefused as refused:
            self.problem("boards", number, refused.column, refused.message, refused.value(row))
            return
        existing[row["name"].lower()] = board
        self._seats(board, chair, [m for m in members if m is not None])
        after = _board_row(board, self.today)
        self.done("boards", number, board.name, board, before, after)

    def _seats(self, board: Board, chair: Person | None, members: list[Person]) -> None:
        wanted = {p.pk: p for p in members}
        if chair is not None:
            wanted[chair.pk] = chair
        seated: set[int] = set()
        for seat in board.members.active_on(self.today).select_related("person"):
            if seat.person_id not in wanted:
                self.end(seat)
                continue
            seated.add(seat.person_id)
            role = seat.role
            if chair is not None and seat.person_id == chair.pk:
                role = CHAIR
            elif seat.role == CHAIR:
                role = "Member"
            if role != seat.role:
                seat.role = role
                seat.save(update_fields=["role"])
        for pk, person in wanted.items():
            if pk not in seated:
                BoardMember.objects.create(
                    board=board,
                    person=person,
                    organisation=person.organisation,
                    role=CHAIR if chair is not None and pk == chair.pk else "Member",
                    start_date=self.today,
                )


class _BoardRefused(Exception):
    def __init__(self, message: str, field_name: str) -> None:
        super().__init__(message)
        self.message = message
        self.column = {"name": "name", "kind": "kind", "parent": "parent"}.get(field_name)

    def value(self, row: dict[str, Any]) -> str:
        return str(row.get(self.column, "")) if self.column else ""


def _save_board(
    run: _Run, board: Board | None, name: str, kind: str, parent: Board | None
) -> Board:
    """Create or update a board through the meetings app's set-up service (its rules, its
    action log and standing agenda for a new board, its audit)."""
    try:
        if board is None:
            return boards.create_board(
                run.partnership, name, kind, parent, actor=run.actor, request=run.request
            )
        if (board.name, board.kind, board.parent_id) == (name, kind, parent.pk if parent else None):
            return board
        return boards.update_board(
            board,
            name=name,
            kind=kind,
            parent=parent,
            cadence=board.cadence,
            cadence_note=board.cadence_note,
            actor=run.actor,
            request=run.request,
        )
    except boards.BoardSetupError as error:
        raise _BoardRefused(error.message, error.field) from error
