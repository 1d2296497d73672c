"""Core models: partnerships, organisations, people and roles, areas, RAG history, audit."""

from saferboard.core.models.areas import Area, AreaKind
from saferboard.core.models.audit import AuditAction, AuditEvent
from saferboard.core.models.evidence import EvidenceFile
from saferboard.core.models.organisations import Organisation, OrganisationType, Partnership
from saferboard.core.models.people import Membership, Person, Role, User
from saferboard.core.models.rag import RagEntry, RagRated, RagStatus

__all__ = [
    "Area",
    "AreaKind",
    "AuditAction",
    "AuditEvent",
    "EvidenceFile",
    "Membership",
    "Organisation",
    "OrganisationType",
    "Partnership",
    "Person",
    "RagEntry",
    "RagRated",
    "RagStatus",
    "Role",
    "User",
]
