"""Benchmark: build an ~80-page board pack from the demo data plus generated content.

    UV_PYTHON_DOWNLOADS=never uv run python bench/pack_bench.py [--pages-target 80]

Loads the demo into a fresh SQLite database in a temporary data directory, adds a
board meeting whose last meeting has many minutes (with actions, so the matters
arising report is long), an action-plan item and a 20-page uploaded paper, then
times assembling the content, laying out the PDF (with its page-range passes) and
writing the DOCX. Target: the PDF in 15 s or less on the 2-core machine.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

PARAGRAPH = (
    "Partners reported on progress since the last meeting. The neighbourhood policing "
    "team ran two weeks of action in the town centre, with weapons sweeps, licensed "
    "premises visits and joint patrols with the council's enforcement officers. "
    "Residents' feedback was positive; the board asked for the results by ward."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=120, help="generated minute items")
    parser.add_argument("--appendix-pages", type=int, default=20)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="sabo-pack-bench-"))
    os.environ["SABO_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SABO_MODE", "demo")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferboard.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from saferboard.core.management.commands.demo import load_demo

    started = time.perf_counter()
    load_demo()
    print(f"demo loaded in {time.perf_counter() - started:.1f} s")
    meeting = generate(args.minutes, args.appendix_pages)

    # Warm WeasyPrint's font configuration once, as a running server would have.
    from weasyprint import HTML

    from saferboard.reports.assemble import assemble
    from saferboard.reports.render import render_docx, render_pdf

    HTML(string="<p>warm</p>").write_pdf()

    t0 = time.perf_counter()
    content = assemble(meeting, public=False)
    t1 = time.perf_counter()
    result = render_pdf(content)
    t2 = time.perf_counter()
    docx = render_docx(content, result.ranges)
    t3 = time.perf_counter()
    print(
        f"pack: {result.pages} pages, {len(content.paged_entries)} items with pages, "
        f"{result.passes} layout passes, {len(result.pdf) / 1e6:.1f} MB PDF, "
        f"{len(docx) / 1e6:.2f} MB DOCX"
    )
    print(f"assemble content  {t1 - t0:6.2f} s")
    print(f"PDF (layout+write){t2 - t1:6.2f} s   target <= 15 s")
    print(f"DOCX              {t3 - t2:6.2f} s")
    print(f"total             {t3 - t0:6.2f} s")
    print(
        f"data version {content.data_version[:16]}…, figure-check findings: {len(content.issues)}"
    )


def generate(minutes: int, appendix_pages: int):  # type: ignore[no-untyped-def]
    """A meeting of the demo partnership board with a long last meeting and a paper."""
    from weasyprint import HTML

    from saferboard.core.models import User
    from saferboard.meetings import services
    from saferboard.meetings.models import Board, BoardMember
    from saferboard.reports.files import appendix_path, write_atomic
    from saferboard.reports.models import PackAppendix

    board = Board.objects.order_by("pk").first()
    assert board is not None, "the demo has no board"
    last_date = board.meetings.order_by("-date").first().date  # type: ignore[union-attr]
    members = list(BoardMember.objects.filter(board=board).select_related("person"))
    last = services.create_meeting(board, day=last_date + timedelta(days=30), place="Bench Hall")
    services.record_attendance(
        last, [services.AttendanceEntry("present", person=m.person, member=m) for m in members]
    )
    for i in range(minutes):
        item = services.add_minute(
            last,
            title=f"Neighbourhood report {i + 1}",
            text=" ".join([PARAGRAPH] * (1 + i % 3)),
            resolutions=["the report be noted"],
        )
        if i % 3 == 0:
            services.raise_action(
                item,
                description=f"Bring the ward breakdown for report {i + 1}",
                owners=[members[i % len(members)].person],
                due=last.date + timedelta(days=60),
            )
    meeting = services.create_meeting(board, day=last.date + timedelta(days=60), place="Bench Hall")
    services.add_agenda_item(meeting, title="Improvement plan: action plan roll-up")
    paper = services.add_agenda_item(meeting, title="Serious violence: needs assessment")
    pages = "".join(
        f'<h1 style="break-before: page">Needs assessment, page {p}</h1><p>{PARAGRAPH * 6}</p>'
        for p in range(1, appendix_pages + 1)
    )
    data = HTML(string=f'<html lang="en"><title>SNA</title><body>{pages}</body></html>').write_pdf()
    digest = hashlib.sha256(data).hexdigest()
    write_atomic(appendix_path(digest), data)
    PackAppendix.objects.create(
        agenda_item=paper,
        title="Strategic needs assessment",
        original_name="sna.pdf",
        sha256=digest,
        size=len(data),
        pages=appendix_pages,
        uploaded_by=User.objects.get(username="coordinator"),
    )
    print(
        f"generated: {minutes} minute items, a {appendix_pages}-page paper; "
        f"meeting {meeting.pk} on {meeting.date:%Y-%m-%d}"
    )
    return meeting


if __name__ == "__main__":
    main()
