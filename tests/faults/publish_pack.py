"""Build a meeting's public board pack and publish it, as a coordinator does on the
web: ``python -m tests.faults.publish_pack MEETING_ID``.

The board pack has no publishing command (publishing is a web action), so the fault
tests drive the same service functions the web views call, in a child process they
can kill. Figure-check findings are acknowledged first, since publishing refuses a
pack with open findings.
"""

from __future__ import annotations

import sys

import django


def main(meeting_id: int) -> None:
    """Build the next public version of ``meeting_id``'s pack and publish it."""
    django.setup()
    from saferboard.core.models import User
    from saferboard.meetings.models import Meeting
    from saferboard.reports import services
    from saferboard.reports.models import PackStatus

    coordinator = User.objects.get(username="coordinator")
    meeting = Meeting.objects.get(pk=meeting_id)
    services.fail_abandoned_builds()
    pack = services.build(services.new_pack(meeting, "public", coordinator))
    if pack.status != PackStatus.DRAFT:
        raise SystemExit(f"build failed: {pack.error}")
    for issue in pack.open_issues():
        services.acknowledge(issue, user=coordinator, reason="Checked against the source")
    services.publish(pack, user=coordinator)
    print(f"published pack {pack.pk} version {pack.version}")


if __name__ == "__main__":
    main(int(sys.argv[1]))
