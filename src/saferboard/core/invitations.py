"""One-time links that let a person set their password: invitations, resets, first sign-in.

Built on Django's password-reset token machinery, so a link stops working once it has
been used (the password hash changes), after ``PASSWORD_RESET_TIMEOUT`` (24 hours), or
when the account signs in again. Links use ``SABO_BASE_URL``, the address people reach
this installation by (required in production).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from saferboard.core import audit
from saferboard.core.models import AuditAction, AuditEvent, Person, User
from saferboard.core.partnerships import current_partnership

# Requests for a password link: from one network address within the window, before the
# address is refused (as failed sign-ins are); and emails to one account within the
# window, beyond which requests are quietly not sent (nobody can flood someone's inbox).
RESET_WINDOW = timedelta(minutes=15)
RESET_REQUESTS_PER_ADDRESS = 5
RESET_EMAILS_PER_ACCOUNT = 3


def set_password_path(user: User) -> str:
    """The site-relative path of a one-time link for ``user`` to set a password."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("core:set-password", kwargs={"uidb64": uidb64, "token": token})


def set_password_url(user: User, base_url: str | None = None) -> str:
    """The full one-time link, on ``base_url`` (default: the configured ``SABO_BASE_URL``)."""
    base = (base_url if base_url is not None else settings.SABO_BASE_URL).rstrip("/")
    return f"{base}{set_password_path(user)}"


def link_base_url(request: HttpRequest | None) -> str:
    """The address links in emails start with: ``SABO_BASE_URL``, or in the demo and the
    tests (where it may be empty) the address this request came to.

    Production refuses to start without ``SABO_BASE_URL``; this refuses too rather than
    trust a Host header there, which an attacker could set to send people elsewhere.
    """
    if settings.SABO_BASE_URL:
        return str(settings.SABO_BASE_URL).rstrip("/")
    if settings.SABO_MODE in {"demo", "test"} and request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    raise ImproperlyConfigured("SABO_BASE_URL is not set, so emailed links have no address.")


def username_for_email(email: str) -> str:
    """A new account's username: the email address in lower case, numbered if taken."""
    base = email.strip().lower()[:140]
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def send_password_link(user: User, *, to: str, base_url: str, invitation: bool) -> None:
    """Email ``user`` a one-time link to set a password: an invitation or a reset."""
    partnership = current_partnership()
    context = {
        "name": getattr(getattr(user, "person", None), "full_name", "") or user.get_full_name(),
        "username": user.get_username(),
        "link": set_password_url(user, base_url),
        "new_link": f"{base_url}{reverse('core:password-reset')}",
        "partnership": partnership.name if partnership else "Your community safety partnership",
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    kind = "invitation" if invitation else "password_reset"
    subject = (
        "You have been invited to use Saferboard"
        if invitation
        else "Reset your Saferboard password"
    )
    body = render_to_string(f"core/emails/{kind}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@transaction.atomic
def invite(person: Person, *, request: HttpRequest) -> User:
    """Give ``person`` an account if they have none, and email them a one-time link to set
    their password (a new link each time). Audited.

    The account starts active with an unusable password, so nobody can sign in to it
    until the person follows the link. Raises ValueError when the person has no email
    address or their account is deactivated.
    """
    if not person.email:
        raise ValueError(f"Add an email address for {person.full_name} before inviting them.")
    user = person.user
    before = {"account": user.get_username() if user else None}
    if user is not None and not user.is_active:
        raise ValueError(f"{person.full_name}'s account is deactivated. Reactivate it first.")
    if user is None:
        first, _, last = person.full_name.partition(" ")
        user = User(
            username=username_for_email(person.email),
            email=person.email,
            first_name=first[:150],
            last_name=last[:150],
            is_active=True,
        )
        user.set_unusable_password()
        user.save()
        person.user = user
        person.save(update_fields=["user"])
    elif not user.email:
        user.email = person.email
        user.save(update_fields=["email"])
    send_password_link(user, to=person.email, base_url=link_base_url(request), invitation=True)
    audit.record(
        AuditAction.SETTINGS_CHANGE,
        request=request,
        obj=person,
        what="invitation emailed",
        before=before,
        after={"account": user.get_username()},
    )
    return user


def accounts_for_email(email: str) -> list[tuple[User, str]]:
    """Active accounts whose own or person's email is ``email`` (any case), each with the
    address it is known by. Includes accounts that have never set a password (invited)."""
    email = email.strip()
    if not email:
        return []
    users = User.objects.filter(is_active=True).filter(
        Q(email__iexact=email) | Q(person__email__iexact=email)
    )
    found = []
    for user in users.select_related("person").distinct():
        if user.email.lower() == email.lower():
            found.append((user, user.email))
        else:
            found.append((user, user.person.email))
    return found


def address_asked_too_often(request: HttpRequest) -> bool:
    """Whether this request's network address has asked for password links too often
    lately (counted from the audit log, so every server process shares the count)."""
    address = request.META.get("REMOTE_ADDR")
    if not address:
        return False
    return (
        AuditEvent.objects.filter(
            action=AuditAction.LINK_REQUEST,
            at__gte=timezone.now() - RESET_WINDOW,
            ip_address=address,
        ).count()
        >= RESET_REQUESTS_PER_ADDRESS
    )


def request_password_link(email: str, *, request: HttpRequest) -> int:
    """Email a one-time link to every active account known by ``email``; returns how many
    were sent. Each request is audited (without the address typed, which may be anyone's).

    An account already sent ``RESET_EMAILS_PER_ACCOUNT`` links within the window gets no
    more for now. The caller must answer the same whatever this returns, so the page
    never tells anyone whether an address has an account.
    """
    accounts = accounts_for_email(email)
    if not accounts:
        audit.record(AuditAction.LINK_REQUEST, request=request, actor_label="", sent=0)
        return 0
    since = timezone.now() - RESET_WINDOW
    sent = 0
    for user, to in accounts:
        recent = AuditEvent.objects.filter(
            action=AuditAction.LINK_REQUEST,
            at__gte=since,
            object_type=user._meta.label,
            object_id=str(user.pk),
            detail__sent=1,
        ).count()
        allowed = recent < RESET_EMAILS_PER_ACCOUNT
        if allowed:
            send_password_link(user, to=to, base_url=link_base_url(request), invitation=False)
            sent += 1
        audit.record(
            AuditAction.LINK_REQUEST,
            request=request,
            actor_label=user.get_username(),
            obj=user,
            sent=int(allowed),
        )
    return sent
