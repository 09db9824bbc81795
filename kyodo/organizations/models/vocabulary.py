"""Vocabularies of the organization registry: legal forms, the fields of activity of the
NPO Act, statuses, sources and who may overwrite whom (``may_overwrite``), and which
fields are tracked, public or reviewed."""

from __future__ import annotations

import datetime
from typing import Final

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    """Legal form (法人格) of an organization."""

    NPO_CORPORATION = "npo_corporation", _("NPO corporation")
    CERTIFIED_NPO = "certified_npo", _("Certified NPO corporation")
    GENERAL_INCORPORATED_ASSOCIATION = (
        "general_incorporated_association",
        _("General incorporated association"),
    )
    VOLUNTARY_GROUP = "voluntary_group", _("Voluntary group")
    NEIGHBORHOOD_ASSOCIATION = "neighborhood_association", _("Neighborhood association")
    VOLUNTEER_GROUP = "volunteer_group", _("Volunteer group")
    COMPANY = "company", _("Company")
    UNIVERSITY = "university", _("University")
    OTHER = "other", _("Other")


class ActivityField(models.IntegerChoices):
    """The 20 fields of activity of the NPO Act (特定非営利活動促進法 別表), and "other"."""

    HEALTH_WELFARE = 1, _("Health, medical care or welfare")
    SOCIAL_EDUCATION = 2, _("Social education")
    COMMUNITY_DEVELOPMENT = 3, _("Community development")
    TOURISM = 4, _("Tourism")
    RURAL_DEVELOPMENT = 5, _("Rural and hilly and mountainous areas")
    CULTURE_ARTS_SPORTS = 6, _("Science, culture, the arts or sports")
    ENVIRONMENT = 7, _("Environmental conservation")
    DISASTER_RELIEF = 8, _("Disaster relief")
    COMMUNITY_SAFETY = 9, _("Community safety")
    HUMAN_RIGHTS_PEACE = 10, _("Human rights or peace")
    INTERNATIONAL_COOPERATION = 11, _("International cooperation")
    GENDER_EQUALITY = 12, _("A gender-equal society")
    CHILDREN = 13, _("Sound upbringing of children")
    INFORMATION_SOCIETY = 14, _("An information society")
    SCIENCE_TECHNOLOGY = 15, _("Science and technology")
    ECONOMIC_ACTIVITY = 16, _("Economic activity")
    EMPLOYMENT = 17, _("Vocational skills and employment")
    CONSUMER_PROTECTION = 18, _("Consumer protection")
    SUPPORT_FOR_ORGANIZATIONS = 19, _("Liaison, advice or support for such organizations")
    ORDINANCE = 20, _("Activities designated by a prefectural or city ordinance")
    OTHER = 99, _("Other")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")
    # A record merged into another one; kept so that the merge can be undone.
    MERGED = "merged", _("Merged into another record")


class DissolutionReason(models.TextChoices):
    """Why an organization ended: the NTA's closure reasons (登記記録の閉鎖等の事由) and the
    reasons the NPO portal gives (解散情報)."""

    LIQUIDATION_COMPLETED = "liquidation_completed", _("Liquidation completed")
    MERGER = "merger", _("Dissolved by merger")
    CLOSED_BY_REGISTRAR = "closed_by_registrar", _("Closed by the registrar")
    OTHER_LIQUIDATION = "other_liquidation", _("Other completion of liquidation")
    GENERAL_MEETING = "general_meeting", _("Resolution of the general meeting")
    CERTIFICATION_REVOKED = "certification_revoked", _("Certification revoked")
    BANKRUPTCY = "bankruptcy", _("Bankruptcy")
    OTHER = "other", _("Other")


class OperatingStage(models.TextChoices):
    """How long an organization has existed, counted in full years since it was set up."""

    FOUNDING = "founding", _("Founding stage (first year)")
    EARLY = "early", _("Early stage (1 to 2 years)")
    CONTINUING = "continuing", _("Continuing stage (3 to 5 years)")
    MATURE = "mature", _("Mature stage (6 years or more)")


# (stage, first full year, last full year or None)
STAGE_YEARS: Final = (
    (OperatingStage.FOUNDING, 0, 0),
    (OperatingStage.EARLY, 1, 2),
    (OperatingStage.CONTINUING, 3, 5),
    (OperatingStage.MATURE, 6, None),
)


class CertificationKind(models.TextChoices):
    CERTIFIED = "certified", _("Certified NPO (認定)")
    SPECIAL_CERTIFIED = "special_certified", _("Specially certified NPO (特例認定)")
    ORDINANCE_DESIGNATED = "ordinance_designated", _("Designated by ordinance (条例個別指定)")


class LinkKind(models.TextChoices):
    X = "x", "X (Twitter)"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    LINE = "line", "LINE"
    NOTE = "note", "note"
    BLOG = "blog", _("Blog")
    OTHER = "other", _("Other link")


class SourceKind(models.TextChoices):
    """Who set a field: an import source, or a person."""

    NTA = "nta", _("National Tax Agency corporate numbers")
    NPO_PORTAL = "npo_portal", _("Cabinet Office NPO portal")
    CENTER_LIST = "center_list", _("Center list of registered groups")
    STAFF = "staff", _("Staff edit")
    GROUP = "group", _("The group's own edit")


IMPORT_SOURCES: Final = (SourceKind.NTA, SourceKind.NPO_PORTAL, SourceKind.CENTER_LIST)


OFFICIAL_SOURCES: Final = frozenset({SourceKind.NTA, SourceKind.NPO_PORTAL})


MANUAL_SOURCES: Final = frozenset({SourceKind.STAFF, SourceKind.GROUP})


SOURCE_RANK: Final = {
    SourceKind.CENTER_LIST: 1,
    SourceKind.NTA: 2,
    SourceKind.NPO_PORTAL: 2,
    SourceKind.STAFF: 3,
    SourceKind.GROUP: 3,
}


def may_overwrite(
    current_kind: str | None,
    current_as_of: datetime.date | None,
    new_kind: str,
    new_as_of: datetime.date | None,
) -> bool:
    """May a value from ``new_kind`` as of ``new_as_of`` replace the one set by
    ``current_kind`` as of ``current_as_of``?

    Staff and group edits always may, and no import replaces them; an official source
    (NTA, NPO portal) replaces a center list; between sources of the same rank the newer
    (or equally new) one wins. A field nobody set yet may always be set.
    """
    if current_kind is None or new_kind in MANUAL_SOURCES:
        return True
    current_rank, new_rank = (
        SOURCE_RANK[SourceKind(current_kind)],
        SOURCE_RANK[SourceKind(new_kind)],
    )
    if new_rank != current_rank:
        return new_rank > current_rank
    if current_as_of is None or new_as_of is None:
        return True
    return new_as_of >= current_as_of


KATAKANA_READING = RegexValidator(
    r"^[ァ-ヶー・ヽヾ　 ]*$",
    _("Write the reading in katakana, e.g. サッポロシミンカツドウネットワーク."),
)


# Master fields whose provenance is tracked, in display order. The last three are
# child tables; their FieldSource row covers the whole list.
TRACKED_FIELDS: Final = (
    "name",
    "name_kana",
    "legal_form",
    "corporate_number",
    "competent_authority",
    "postcode",
    "prefecture",
    "municipality",
    "street",
    "established_on",
    "certified_on",
    "representative",
    "representative_kana",
    "purpose",
    "activities",
    "phone",
    "fax",
    "email",
    "contact_person",
    "website",
    "status",
    "dissolved_on",
    "dissolution_reason",
    "dissolution_note",
    "successor_corporate_number",
    "activity_fields",
    "activity_areas",
    "certifications",
)


LIST_FIELDS: Final = frozenset({"activity_fields", "activity_areas", "certifications"})


# Changes a group asks for that staff must approve before they show (issue 3, item 5).
FIELDS_NEEDING_REVIEW: Final = frozenset({"name", "corporate_number", "competent_authority"})


# What the public may see: a public page, the API and an export use nothing else.
# Contacts, the street address and the representative are public only when the group
# chose so (see ``public_contacts``, ``public_address`` and ``public_data``).
PUBLIC_FIELDS: Final = (
    "id",
    "name",
    "name_kana",
    "legal_form",
    "corporate_number",
    "competent_authority",
    "prefecture",
    "municipality",
    "established_on",
    "certified_on",
    "purpose",
    "activities",
    "website",
    "status",
    "dissolved_on",
    "dissolution_reason",
)


CONTACT_FIELDS: Final = ("phone", "fax", "email", "contact_person")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class RowOutcome(models.TextChoices):
    CREATED = "created", _("Created as new")
    UPDATED = "updated", _("Updated")
    LINKED = "linked", _("Linked")
    NEEDS_REVIEW = "needs_review", _("Needs review")
    REJECTED = "rejected", _("Rejected")
    UNCHANGED = "unchanged", _("Unchanged")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Waiting for review")
    LINKED = "linked", _("Same organization")
    SEPARATE = "separate", _("Different organizations")


class MemberRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative")
    MEMBER = "member", _("Member")


class MemberStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    LEFT = "left", _("Left")
