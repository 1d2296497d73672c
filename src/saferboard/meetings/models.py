"""Boards, their meetings, agendas, attendance, minutes and amendments.

Minute items are numbered continuously across a board's meetings (the next meeting
continues from the last number); a cancelled meeting takes no numbers. Once a
meeting's minutes are agreed (at the next meeting) they are locked: later corrections
are :class:`Amendment` records, never edits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models

from saferboard.core.models.fields import optional_self_link
from saferboard.core.models.rag import AppendOnlyModel
from saferboard.reports.sections import AGENDA_KINDS


class MinutesLocked(Exception):
    """Raised on an attempt to change minutes that have been agreed."""


class BoardKind(models.TextChoices):
    # The stored values predate the labels: "partnership" is the strategic board and
    # "yos" the youth justice management board; both stay valid in existing data.
    PARTNERSHIP = "partnership", "Strategic board"
    YOS = "yos", "Youth justice management board"
    SUB_GROUP = "sub_group", "Sub-group"
    IMPROVEMENT = "improvement", "Improvement board"


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    OTHER = "other", "Other"


class Board(models.Model):
    """A board that meets, with its members, standing agenda and action log."""

    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.PROTECT, related_name="boards"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    kind = models.CharField(max_length=20, choices=BoardKind.choices)
    parent = optional_self_link("sub_groups", "The board a sub-group reports to.")
    action_log = models.OneToOneField(
        "actions.ActionPlan", on_delete=models.PROTECT, related_name="board"
    )
    first_minute_number = models.PositiveIntegerField(
        default=1,
        help_text="The number the board's first minute here takes (to continue "
        "the numbering of minutes kept before).",
    )
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.QUARTERLY)
    cadence_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="How often the board meets, when that is not one of the usual cadences.",
    )
    retired_on = models.DateField(
        null=True,
        blank=True,
        help_text="From this day the board takes no new meetings; its history is kept.",
    )
    question_clear_days = models.PositiveSmallIntegerField(
        default=3,
        help_text="Questions must arrive this many clear working days before a meeting "
        "(as the standing orders set it).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="board_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None

    def cadence_display(self) -> str:
        """'Quarterly', or the note given for an unusual cadence."""
        if self.cadence == Cadence.OTHER and self.cadence_note:
            return self.cadence_note
        return self.get_cadence_display()


class BoardMemberQuerySet(models.QuerySet["BoardMember"]):
    def active_on(self, day: date) -> BoardMemberQuerySet:
        return self.filter(start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
        )


class MemberRole(models.TextChoices):
    # Values are the words stored before roles were a choice, so old rows still read.
    CHAIR = "Chair", "Chair"
    VICE_CHAIR = "Vice-chair", "Vice-chair"
    MEMBER = "Member", "Member"
    ADVISER = "Adviser", "Adviser"


class BoardMember(models.Model):
    """A person's seat on a board for an organisation, from one date to another."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        max_length=100,
        choices=MemberRole.choices,
        default=MemberRole.MEMBER,
        help_text="Chair, vice-chair, member or adviser.",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = BoardMemberQuerySet.as_manager()

    class Meta:
        ordering = ["board", "person__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="board_member_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation}), {self.role}"

    @property
    def has_ended(self) -> bool:
        return self.end_date is not None


class NamedSubstitute(models.Model):
    """Someone named to attend in a member's place (a deputy), from one date to another.

    Attendance records who actually came as a substitute; this records who may. Ended,
    never deleted, so the record of who was named when is kept.
    """

    member = models.ForeignKey(
        BoardMember, on_delete=models.CASCADE, related_name="named_substitutes"
    )
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["member", "person__full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="named_substitute_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} (substitute for {self.member.person})"

    def is_active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class StandingItem(models.Model):
    """An item on the board's standing agenda, copied into each new meeting's agenda."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="standing_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=250)
    presenter = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["board", "position"]

    def __str__(self) -> str:
        return self.title


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    AGENDA_PUBLISHED = "agenda_published", "Agenda published"
    HELD = "held", "Held"
    MINUTES_DRAFT = "minutes_draft", "Minutes in draft"
    MINUTES_AGREED = "minutes_agreed", "Minutes agreed"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    """One meeting of a board."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=250, blank=True)
    online = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes_agreed_at = optional_self_link(
        "minutes_agreed_here", "The meeting at which these minutes were agreed."
    )
    minutes_agreed_on = models.DateTimeField(null=True, blank=True)
    minutes_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["board", "date", "start_time", "pk"]

    def __str__(self) -> str:
        return f"{self.board.name}, {self.date:%-d %B %Y}"

    @property
    def minutes_locked(self) -> bool:
        return self.status == MeetingStatus.MINUTES_AGREED

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    def venue(self) -> str:
        if self.online and self.place:
            return f"{self.place} and online"
        return "Online" if self.online else (self.place or "To be confirmed")


AGENDA_KIND_CHOICES = [(value, label) for value, label, _hint in AGENDA_KINDS]


class AgendaItem(models.Model):
    """An item on a meeting's agenda: from the standing template or added.

    ``position`` orders every item of the meeting, sub-items straight after their
    parent; the printed numbers (7, 7a, 7b, 8) are worked out from that order by
    :func:`saferboard.meetings.agenda.numbers`. ``kind`` is what the item contains in
    the pack, chosen by the clerk (the title only suggests it).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    parent = optional_self_link("sub_items", "The item this is a sub-item of (numbered 7a, 7b…).")
    title = models.CharField(max_length=250)
    kind = models.CharField(
        max_length=30,
        choices=AGENDA_KIND_CHOICES,
        default="paper",
        help_text="What the item contains in the pack.",
    )
    presenter = models.CharField(max_length=200, blank=True)
    papers = models.TextField(blank=True, help_text="Linked papers, one per line.")
    exempt = models.BooleanField(
        default=False, help_text="Exempt from publication (a 'Part 2' item)."
    )
    exempt_reason = models.CharField(max_length=250, blank=True)
    from_template = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def paper_list(self) -> list[str]:
        return [line.strip() for line in self.papers.splitlines() if line.strip()]

    @property
    def number(self) -> str:
        """The item's printed number ('7', '7a'), worked out from its meeting's agenda
        (one query; for many items use ``services.agenda_numbers``)."""
        from saferboard.meetings.agenda import Slot, numbers

        rows = (
            AgendaItem.objects.filter(meeting_id=self.meeting_id)
            .order_by("position", "pk")
            .values_list("pk", "parent_id")
        )
        return numbers([Slot(pk, parent) for pk, parent in rows]).get(self.pk, str(self.position))


class AttendanceKind(models.TextChoices):
    PRESENT = "present", "Present"
    SUBSTITUTE = "substitute", "Present as substitute"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"
    ALSO_PRESENT = "also_present", "Also present"


class Attendance(models.Model):
    """Who came, who sent apologies, who substituted for whom, who else was there."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True, help_text="For someone with no record.")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=AttendanceKind.choices)
    substitute_for = models.ForeignKey(
        BoardMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        BoardMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance",
        help_text="The seat this row records, for board members.",
    )

    class Meta:
        ordering = ["meeting", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.display_name} – {self.get_kind_display()}"

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person else self.name


class MinuteItem(models.Model):
    """One numbered minute: what was discussed, what was resolved, which actions arose."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="minute_items")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minute_items")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="minutes"
    )
    number = models.PositiveIntegerField()
    suffix = models.CharField(
        max_length=3,
        blank=True,
        help_text="A letter after the number (43a), for a minute that follows 43.",
    )
    title = models.CharField(max_length=250)
    text = models.TextField(blank=True)
    exempt = models.BooleanField(default=False)
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="minute_items")

    class Meta:
        ordering = ["board", "number", "suffix"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "number", "suffix"], name="minute_number_suffix_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}. {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if Meeting.objects.filter(pk=self.meeting_id, status=MeetingStatus.MINUTES_AGREED).exists():
            raise MinutesLocked("These minutes have been agreed: record an amendment instead")
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """The minute's number as printed: '43', or '43a'."""
        return f"{self.number}{self.suffix}"


class Resolution(models.Model):
    """A decision: 'RESOLVED that …'."""

    minute_item = models.ForeignKey(
        MinuteItem, on_delete=models.CASCADE, related_name="resolutions"
    )
    position = models.PositiveSmallIntegerField(default=1)
    text = models.TextField(help_text="What was resolved, after 'RESOLVED that'.")

    class Meta:
        ordering = ["minute_item", "position", "pk"]

    def __str__(self) -> str:
        return f"RESOLVED that {self.text}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.minute_item.meeting.minutes_locked:
            raise MinutesLocked("These minutes have been agreed: record an amendment instead")
        super().save(*args, **kwargs)


class Amendment(AppendOnlyModel):
    """A correction to agreed minutes, recorded (never an edit of the minutes)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="amendments")
    minute_item = models.ForeignKey(
        MinuteItem, on_delete=models.PROTECT, null=True, blank=True, related_name="amendments"
    )
    text = models.TextField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The meeting that agreed the correction, if any.",
    )

    class Meta:
        ordering = ["meeting", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Amendment to {self.meeting}: {self.text[:60]}"


class MattersArisingReport(AppendOnlyModel):
    """The matters arising generated for a meeting: a frozen copy for its pack.

    Generated, not typed: the rows come from the board's action log. Each generation
    is kept, so the pack shows what the board saw.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="matters_arising")
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rows = models.JSONField(default=list)

    class Meta:
        ordering = ["meeting", "-generated_at", "-pk"]

    def __str__(self) -> str:
        return f"Matters arising for {self.meeting} ({self.generated_at:%Y-%m-%d %H:%M})"


class QuestionerKind(models.TextChoices):
    COUNCILLOR = "councillor", "A councillor"
    PUBLIC = "public", "A member of the public"


class QuestionStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting an answer"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Question(models.Model):
    """A question put to the board for a meeting, by a councillor or a member of the public.

    A member of the public's name is personal data: it is shown to signed-in staff, and
    published (public site, public pack) only if they consented (``name_public``).
    ``deadline`` is the standing orders' deadline worked out when the question was
    recorded, so a later change of the board's rule does not rewrite what was decided.
    Withdrawn questions are kept (``withdrawn_on``), never deleted.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="questions")
    asker_kind = models.CharField(max_length=12, choices=QuestionerKind.choices)
    asker_name = models.CharField(max_length=200)
    name_public = models.BooleanField(
        default=False, help_text="The questioner agreed to their name being published."
    )
    text = models.TextField()
    received_on = models.DateField()
    deadline = models.DateField()
    answer = models.TextField(blank=True)
    answered_by = models.CharField(max_length=200, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "received_on", "pk"]

    def __str__(self) -> str:
        return f"Question to {self.meeting}, received {self.received_on:%-d %B %Y}"

    @property
    def in_time(self) -> bool:
        """Received on or before the standing orders' deadline."""
        return self.received_on <= self.deadline

    @property
    def status(self) -> str:
        if self.withdrawn_on is not None:
            return QuestionStatus.WITHDRAWN
        return QuestionStatus.ANSWERED if self.answer.strip() else QuestionStatus.AWAITING

    def get_status_display(self) -> str:
        return str(QuestionStatus(self.status).label)


class InterestKind(models.TextChoices):
    # The terms of the model councillor code of conduct (LGA, 2020).
    PECUNIARY = "pecuniary", "Disclosable pecuniary interest"
    OTHER_REGISTRABLE = "other_registrable", "Other registrable interest"
    NON_REGISTRABLE = "non_registrable", "Non-registrable interest"


class Declaration(models.Model):
    """A declaration of interest made at a meeting, recorded by the clerk.

    The person is a board member or attendee with a record (``person``) or someone
    named (``name``). A declaration recorded in error is withdrawn, never deleted.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="declarations")
    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True, help_text="For someone with no record.")
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,  # an item removed later leaves the declaration
        null=True,
        blank=True,
        related_name="declarations",
    )
    kind = models.CharField(max_length=20, choices=InterestKind.choices)
    nature = models.TextField(help_text="What the interest is.")
    left_room = models.BooleanField(
        default=False, help_text="They left the room for the item (took no part)."
    )
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.get_kind_display()}"

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person else self.name


class Purpose(models.TextChoices):
    DECISION = "decision", "For decision"
    DISCUSSION = "discussion", "For discussion"
    INFORMATION = "information", "For information"


class CoverSheet(models.Model):
    """A paper's report cover sheet, printed as the paper's first page in the pack."""

    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="cover_sheet"
    )
    report_number = models.CharField(max_length=50, blank=True)
    author = models.CharField(max_length=200)
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    summary = models.TextField()
    recommendations = models.TextField(blank=True, help_text="One per line.")
    financial = models.TextField(blank=True)
    legal = models.TextField(blank=True)
    equalities = models.TextField(blank=True)
    children = models.TextField(blank=True)
    background_papers = models.TextField(blank=True, help_text="One per line.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Cover sheet: {self.agenda_item.title}"

    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

    def background_list(self) -> list[str]:
        return [line.strip() for line in self.background_papers.splitlines() if line.strip()]
