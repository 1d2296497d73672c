"""Correcting an accepted update's text, with a reason, keeping every earlier version.

A figure check may find a mistake in an update the board has already read. The
coordinator corrects it at its source: the update holds the corrected text (so every
report prints it), each :class:`~saferboard.strategy.models.UpdateCorrection` keeps the
text it replaced (append-only), the update's history says who, when and why, and the
change is audited before/after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferboard.core import audit
from saferboard.core.models import User
from saferboard.strategy.content import render_narrative
from saferboard.strategy.models import (
    CorrectedField,
    PartnerUpdate,
    UpdateCorrection,
    UpdateEvent,
    UpdateState,
)
from saferboard.strategy.services import StaleVersion
from saferboard.strategy.workflow import TransitionRefused


@dataclass(frozen=True)
class Correction:
    """The corrected texts (``None``: leave that text as it is) and why."""

    reason: str
    narrative: str | None = None
    case_study: str | None = None


def correct_update(
    update: PartnerUpdate,
    correction: Correction,
    *,
    version: int,
    actor: User,
    request: HttpRequest | None = None,
    at: datetime | None = None,
) -> list[UpdateCorrection]:
    """Correct an accepted update's text; returns one record per text changed.

    Refused (``TransitionRefused``) for an update not accepted, without a reason, or
    changing nothing; a correction started from an older version raises StaleVersion.
    """
    reason = correction.reason.strip()
    if not reason:
        raise TransitionRefused("Enter the reason for the correction")
    with transaction.atomic():
        locked = PartnerUpdate.objects.select_for_update().get(pk=update.pk)
        if locked.version != version:
            raise StaleVersion(locked)
        if locked.state != UpdateState.ACCEPTED:
            raise TransitionRefused(
                "Only an accepted update is corrected: return or edit this one instead"
            )
        now = at or timezone.now()
        made = []
        for field, text in (
            (CorrectedField.NARRATIVE, correction.narrative),
            (CorrectedField.CASE_STUDY, correction.case_study),
        ):
            if text is None or text == getattr(locked, field.value):
                continue
            html = render_narrative(text)
            made.append(
                UpdateCorrection.objects.create(
                    update=locked,
                    field=field.value,
                    before_text=getattr(locked, field.value),
                    before_html=getattr(locked, f"{field.value}_html"),
                    after_text=text,
                    after_html=html,
                    reason=reason,
                    actor=actor,
                    at=now,
                )
            )
            setattr(locked, field.value, text)
            setattr(locked, f"{field.value}_html", html)
        if not made:
            raise TransitionRefused("The text is the same as before: there is nothing to correct")
        source = locked.carried_from
        locked.carried_forward = bool(
            locked.carried_forward
            and source is not None
            and locked.narrative == source.narrative
            and locked.case_study == source.case_study
        )
        locked.version += 1
        locked.updated_at, locked.updated_by = now, actor
        locked.save()
        UpdateEvent.objects.create(
            update=locked,
            action="corrected",
            from_state=locked.state,
            to_state=locked.state,
            actor=actor,
            at=now,
            comment=reason,
        )
        audit.record_change(
            locked,
            before={c.field: c.before_text for c in made},
            after={c.field: c.after_text for c in made},
            actor=actor,
            request=request,
            what="accepted update corrected",
            reason=reason,
        )
    return made
