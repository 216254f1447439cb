"""Placeholder: replaced by the organisation registers."""

from flask import Blueprint

bp = Blueprint("orgs", __name__)
