"""Chasing: emails to partner leads when a round opens and when returns are outstanding.

Mail goes through Django's email backend (the console in the demo, SMTP in production)
and every message sent is logged as a :class:`~saferboard.strategy.models.Reminder`.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from saferboard.core.links import absolute_url
from saferboard.core.models import Organisation, Person, Role, User
from saferboard.strategy.models import PartnerUpdate, Reminder, ReminderKind, ReportingRound


def partner_lead_emails(organisation: Organisation) -> list[str]:
    """Email addresses of the organisation's current partner leads."""
    today = timezone.localdate()
    people = (
        Person.objects.filter(
            memberships__organisation=organisation,
            memberships__role=Role.PARTNER_LEAD,
            memberships__start_date__lte=today,
        )
        .exclude(memberships__end_date__lt=today)
        .select_related("user")
        .distinct()
        .order_by("full_name")
    )
    emails = []
    for person in people:
        email = person.email or (person.user.email if person.user else "")
        if email and email not in emails:
            emails.append(email)
    return emails


def _returns_link() -> str:
    """The line that takes a partner lead straight to their returns (an absolute link)."""
    return f"Open your returns: {absolute_url(reverse('strategy:my-returns'))}"


def _body(
    round: ReportingRound, organisation: Organisation, updates: list[PartnerUpdate], kind: str
) -> tuple[str, str]:
    deadline = f"{round.deadline:%-d %B %Y}"
    strategy = round.strategy.title
    if kind == ReminderKind.OPENED:
        subject = f"{round.label} updates for {strategy}: due by {deadline}"
        opening = (
            f"The {round.label} reporting round is open. Please give "
            f"{organisation.name}'s update on each commitment below by {deadline}."
        )
    else:
        late = round.is_past_deadline()
        subject = f"{'Overdue' if late else 'Reminder'}: {round.label} updates for {strategy}"
        opening = (
            f"{organisation.name}'s {round.label} updates "
            + (f"were due on {deadline} and " if late else f"are due by {deadline}; ")
            + f"{len(updates)} {'is' if len(updates) == 1 else 'are'} not yet submitted."
        )
    lines = [opening, ""]
    for update in updates:
        commitment = update.commitment
        lines.append(
            f"- Priority {commitment.priority.number}, commitment {commitment.number}: "
            f"{commitment.title} ({update.get_state_display().lower()})"
        )
    lines += ["", _returns_link(), "", "Community safety team"]
    return subject, "\n".join(lines)


def _send(
    round: ReportingRound,
    kind: str,
    updates_by_org: dict[Organisation, list[PartnerUpdate]],
    *,
    actor: User | None,
    via: str,
) -> list[Reminder]:
    connection = get_connection()
    sent = []
    for organisation, updates in sorted(updates_by_org.items(), key=lambda i: i[0].name):
        recipients = partner_lead_emails(organisation)
        if recipients:
            subject, body = _body(round, organisation, updates, kind)
            EmailMessage(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                recipients,
                connection=connection,
            ).send()
        sent.append(
            Reminder.objects.create(
                round=round,
                organisation=organisation,
                kind=kind,
                recipients=", ".join(recipients),
                outstanding=len(updates),
                sent_by=actor,
                via=via,
            )
        )
    return sent


def _group(updates: QuerySet[PartnerUpdate]) -> dict[Organisation, list[PartnerUpdate]]:
    grouped: dict[Organisation, list[PartnerUpdate]] = defaultdict(list)
    for update in updates.select_related("organisation", "commitment__priority").order_by(
        "commitment__priority__number", "commitment__number"
    ):
        grouped[update.organisation].append(update)
    return grouped


def send_round_opened(
    round: ReportingRound, *, actor: User | None = None, via: str = "web"
) -> list[Reminder]:
    """Tell every contributing organisation's partner leads what the round asks of them."""
    return _send(round, ReminderKind.OPENED, _group(round.updates.all()), actor=actor, via=via)


def send_reminders(
    round: ReportingRound, *, actor: User | None = None, via: str = "web"
) -> list[Reminder]:
    """Remind each organisation with returns not yet submitted (not started, draft or
    returned). An organisation with no partner lead email is logged with no recipients,
    so the returns page can say so."""
    return _send(
        round, ReminderKind.REMINDER, _group(round.updates.outstanding()), actor=actor, via=via
    )
