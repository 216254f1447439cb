"""Need-to-know for advisors' phone numbers (#15, UI finding 13).

Pages, exports and the API show an advisor's mobile number only where the policy rule
``advisor.phone`` allows it (``webapp/policy/``: admin and auditor; the clerks of an
agency with a current engagement of the advisor; the advisor themself); everyone else
sees the advisor without it.
"""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from ..models import Advisor
from ..policy import phone_advisor_ids


def phone_of(advisor: Advisor) -> str | None:
    """The advisor's phone number if the current user may see it, else None."""
    if not has_request_context():
        return advisor.phone  # the CLI (exports run by the operator)
    visible = phone_advisor_ids(current_user)
    return advisor.phone if visible is None or advisor.id in visible else None
