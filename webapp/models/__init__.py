"""The whole GovCounsel domain model; import models from here."""

from .accounts import ApiToken, LoginAttempt, User
from .assessments import (
    AssessmentAmendment,
    AssessmentCriteria,
    AssessmentItem,
    AssessmentRecord,
)
from .audit import AuditEvent, AuditHead
from .base import (
    ADVISOR_KINDS,
    AGENCY_CATEGORIES,
    DOC_TYPES,
    ENGAGEMENT_STATUSES,
    MATTER_AREAS,
    MEETING_TYPES,
    POOL_CATEGORIES,
    POOL_STATUSES,
    ROLES,
    SERVICE_TYPES,
    utcnow,
)
from .contracts import SUPPLEMENT_STATUSES, ContractClause, SupplementaryAgreement
from .documents import (
    Counter,
    Document,
    DocumentField,
    DocumentVersion,
    IndexJob,
    InstanceSetting,
)
from .engagements import ContractTemplate, Engagement
from .idempotency import IdempotencyKey
from .matters import (
    ADOPTIONS,
    CALENDAR_KINDS,
    MATTER_KINDS,
    MATTER_STATUSES,
    AdvisorEvaluation,
    CalendarDay,
    CalendarFeed,
    EvaluationForm,
    LegalMatter,
    MatterAdvisor,
    MatterDocument,
    Notification,
    NotificationAddress,
    Recommendation,
)
from .org import Advisor, Agency, LawFirm, TalentPoolEntry
from .security import PasswordHistory, RecoveryCode

__all__ = [
    "SUPPLEMENT_STATUSES", "ContractClause", "SupplementaryAgreement",
    "ADVISOR_KINDS", "AGENCY_CATEGORIES", "DOC_TYPES", "ENGAGEMENT_STATUSES", "MATTER_AREAS",
    "MEETING_TYPES", "POOL_CATEGORIES", "POOL_STATUSES", "ROLES", "SERVICE_TYPES",
    "Advisor", "Agency", "ApiToken", "AssessmentAmendment", "AssessmentCriteria",
    "AssessmentItem", "AssessmentRecord", "AuditEvent", "AuditHead", "ContractTemplate",
    "Counter", "Document", "DocumentField", "DocumentVersion", "Engagement", "IndexJob",
    "IdempotencyKey", "InstanceSetting",
    "LawFirm", "LoginAttempt", "PasswordHistory", "RecoveryCode", "TalentPoolEntry", "User",
    "utcnow",
    # legal matters, reminders, evaluations (#13)
    "ADOPTIONS", "CALENDAR_KINDS", "MATTER_KINDS", "MATTER_STATUSES", "AdvisorEvaluation",
    "CalendarDay", "CalendarFeed", "EvaluationForm", "LegalMatter", "MatterAdvisor",
    "MatterDocument", "Notification", "NotificationAddress", "Recommendation",
]
