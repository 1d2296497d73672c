"""What the settings hub lists: every settings page, and who may see the hub."""

from __future__ import annotations

from dataclasses import dataclass

from saferboard.core.models import Role, User
from saferboard.setup.links import href

HUB_ROLES = (Role.COORDINATOR, Role.ANALYST)


@dataclass(frozen=True)
class HubLink:
    url_name: str
    title: str
    description: str
    administrators_only: bool = False


HUB_SECTIONS: list[tuple[str, list[HubLink]]] = [
    (
        "Your partnership",
        [
            HubLink(
                "setup:partnership",
                "Partnership",
                "Name, local authority, police forces, preferred crime source, financial "
                "year and reporting calendar.",
                administrators_only=True,
            ),
            HubLink(
                "core:organisations",
                "Organisations",
                "Partner organisations, their types and parents; add, edit or end them.",
            ),
            HubLink(
                "core:people",
                "People",
                "Invite people, give them roles in their organisations, deactivate them.",
            ),
        ],
    ),
    (
        "Strategy and meetings",
        [
            HubLink(
                "strategy:settings",
                "Strategy",
                "The strategy, its priorities and commitments, and how progress is known.",
            ),
            HubLink(
                "meetings:board-settings",
                "Boards",
                "Boards and sub-groups, their members, standing items and cadence.",
            ),
            HubLink(
                "panels:settings",
                "Panels",
                "Multi-agency panels, their membership and requests to join them.",
            ),
        ],
    ),
    (
        "Figures",
        [
            HubLink(
                "measures:list",
                "Measures",
                "What the boards watch: definitions, directions and RAG rules.",
            ),
            HubLink(
                "returns:template-settings",
                "Data-return templates",
                "The figures partners return: fields, units, frequency and due day.",
            ),
        ],
    ),
    (
        "Everything at once",
        [
            HubLink(
                "setup:workbook",
                "Set-up workbook",
                "Download the set-up as a spreadsheet, or upload one to create or update "
                "organisations, people, priorities, commitments and boards.",
            ),
        ],
    ),
]


def can_see_hub(user: User) -> bool:
    """Administrators, coordinators and analysts see the settings hub."""
    return bool(user.is_authenticated and (user.is_administrator or user.has_role(*HUB_ROLES)))


def hub_sections(user: User) -> list[tuple[str, list[dict[str, object]]]]:
    """The hub's sections for ``user``, each link with its path (None: not available)."""
    sections = []
    for heading, links in HUB_SECTIONS:
        rows: list[dict[str, object]] = [
            {"title": link.title, "description": link.description, "href": href(link.url_name)}
            for link in links
            if user.is_administrator or not link.administrators_only
        ]
        if rows:
            sections.append((heading, rows))
    return sections
