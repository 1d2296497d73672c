"""Core models: partnerships, organisations, people and roles, areas, RAG history, audit,
and the shape of an import job."""

from saferboard.core.models.areas import Area, AreaKind
from saferboard.core.models.audit import AuditAction, AuditEvent
from saferboard.core.models.evidence import EvidenceFile
from saferboard.core.models.import_jobs import ImportJobBase, ImportJobStatus
from saferboard.core.models.organisations import Organisation, OrganisationType, Partnership
from saferboard.core.models.people import Membership, Person, Role, User
from saferboard.core.models.rag import RagEntry, RagRated
from saferboard.core.rag_values import RagStatus

__all__ = [
    "Area",
    "AreaKind",
    "AuditAction",
    "AuditEvent",
    "EvidenceFile",
    "ImportJobBase",
    "ImportJobStatus",
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
