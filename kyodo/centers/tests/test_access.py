"""Who may do what where: every audience × own / partner / unrelated center × every
permission, against a matrix written out here (not derived from ROLE_PERMISSIONS), the
records partners share, and the staff pages over HTTP."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kyodo.accounts.models import User
from kyodo.centers import access
from kyodo.centers.access import Permission
from kyodo.centers.models import RecordKind
from kyodo.centers.tests.conftest import (
    ANONYMOUS,
    CITIZEN,
    EVERYONE,
    NETWORK_ADMIN,
    STAFF_ROLES,
    Network,
    make_person,
)
from kyodo.centers.tests.factories import (
    SharingRuleFactory,
    StaffMembershipFactory,
    UserFactory,
)

PLACES = ["own", "partner", "unrelated"]

STAFF_BASE = {
    "view_back_office",
    "view_dashboard",
    "view_staff_directory",
    "manage_events",
    "manage_rooms",
    "manage_organizations",
}
ALL = {
    "view_back_office",
    "view_dashboard",
    "edit_center",
    "manage_staff",
    "manage_sharing",
    "view_audit_log",
    "export_audit_log",
    "view_staff_directory",
    "handle_consultations",
    "assign_consultations",
    "manage_events",
    "manage_rooms",
    "manage_organizations",
    "view_indicators",
    "edit_indicators",
}

# What each audience may do at its own center. Elsewhere (partner or unrelated center)
# nobody but a network administrator may do anything.
AT_OWN_CENTER: dict[str, set[str]] = {
    "reception": STAFF_BASE | {"handle_consultations"},
    "coordinator": STAFF_BASE | {"handle_consultations", "view_indicators"},
    "chief_coordinator": STAFF_BASE
    | {"handle_consultations", "assign_consultations", "view_indicators"},
    "specialist": {"view_back_office", "view_dashboard", "handle_consultations"},
    "center_admin": STAFF_BASE
    | {
        "edit_center",
        "manage_staff",
        "manage_sharing",
        "view_audit_log",
        "export_audit_log",
        "view_indicators",
        "edit_indicators",
    },
    "municipal_officer": {
        "view_back_office",
        "view_dashboard",
        "view_indicators",
        "edit_indicators",
    },
    NETWORK_ADMIN: ALL,
    CITIZEN: set(),
    ANONYMOUS: set(),
}


def expected(audience: str, place: str) -> set[str]:
    if audience == NETWORK_ADMIN or place == "own":
        return AT_OWN_CENTER[audience]
    return set()


def test_the_matrix_covers_every_permission_and_every_audience() -> None:
    # then
    assert {str(p) for p in Permission} == ALL
    assert set(AT_OWN_CENTER) == set(EVERYONE)


@pytest.mark.parametrize("permission", sorted(ALL))
@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("audience", EVERYONE)
def test_each_audience_holds_exactly_the_permissions_of_the_matrix(
    network: Network, audience: str, place: str, permission: str
) -> None:
    # given
    who = make_person(audience, network.own)
    center = network.center(place)
    # when
    allowed = access.can(who, permission, center)
    # then
    assert allowed is (permission in expected(audience, place))


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("audience", EVERYONE)
def test_centers_where_lists_a_center_only_where_the_permission_is_held(
    network: Network, audience: str, place: str
) -> None:
    # given
    who = make_person(audience, network.own)
    center = network.center(place)
    # when
    where = {p: access.centers_where(who, p).filter(pk=center.pk).exists() for p in ALL}
    # then
    assert {p for p, found in where.items() if found} == expected(audience, place)


@pytest.mark.parametrize("audience", EVERYONE)
def test_only_staff_and_network_administrators_are_staff_users(
    network: Network, audience: str
) -> None:
    # given
    who = make_person(audience, network.own)
    # then
    assert access.is_staff_user(who) is (audience not in (CITIZEN, ANONYMOUS))


def test_an_ended_role_grants_nothing_from_its_last_day_on(network: Network) -> None:
    # given
    today = timezone.localdate()
    user = UserFactory.create()
    StaffMembershipFactory.create(
        user=user,
        center=network.own,
        role="center_admin",
        started_on=today - datetime.timedelta(days=30),
        ended_on=today,
    )
    # then
    assert not access.can(user, Permission.VIEW_DASHBOARD, network.own)
    assert not access.is_staff_user(user)


def test_a_deactivated_person_loses_every_role(network: Network) -> None:
    # given
    user = make_person("center_admin", network.own)
    assert isinstance(user, User)
    user.is_active = False
    user.save()
    # then
    assert not access.can(User.objects.get(pk=user.pk), Permission.VIEW_DASHBOARD, network.own)


# --- records partners share --------------------------------------------------------


@pytest.mark.parametrize("shared", [True, False], ids=["with-rule", "without-rule"])
@pytest.mark.parametrize("kind", [k.value for k in RecordKind])
def test_staff_see_a_partners_records_of_a_kind_only_with_a_sharing_rule(
    network: Network, kind: str, shared: bool
) -> None:
    # given the partner shares something else, and maybe this kind, with our center
    other = next(k for k in RecordKind if k.value != kind)
    SharingRuleFactory.create(owner=network.partner, partner=network.own, kind=other)
    if shared:
        SharingRuleFactory.create(owner=network.partner, partner=network.own, kind=kind)
    # and the unrelated center shares this kind with the partner, not with us
    SharingRuleFactory.create(owner=network.unrelated, partner=network.partner, kind=kind)
    reception = make_person("reception", network.own)
    # when
    visible = set(access.centers_sharing_with(reception, kind))
    # then
    assert network.own in visible
    assert (network.partner in visible) is shared
    assert network.unrelated not in visible
    assert access.can_see_shared(reception, kind, network.partner) is shared


@pytest.mark.parametrize("kind", [k.value for k in RecordKind])
def test_sharing_goes_one_way_only(network: Network, kind: str) -> None:
    # given our center shares with the partner
    SharingRuleFactory.create(owner=network.own, partner=network.partner, kind=kind)
    reception = make_person("reception", network.own)
    # then we do not see the partner's records because of it
    assert network.partner not in set(access.centers_sharing_with(reception, kind))


@pytest.mark.parametrize("kind", [k.value for k in RecordKind])
@pytest.mark.parametrize("audience", [NETWORK_ADMIN, CITIZEN, ANONYMOUS])
def test_shared_records_of_people_without_a_center(
    network: Network, kind: str, audience: str
) -> None:
    # given
    who = make_person(audience, network.own)
    # when
    visible = set(access.centers_sharing_with(who, kind))
    # then a network administrator sees every center's records, others none
    if audience == NETWORK_ADMIN:
        assert visible == {network.own, network.partner, network.unrelated}
    else:
        assert visible == set()


# --- the staff pages over HTTP -----------------------------------------------------

PAGES = ["staff:dashboard", "staff:memberships", "staff:sharing", "staff:center_edit"]

# Status of each staff page of one's own center. Partner and unrelated centers: 403
# for everyone signed in but a network administrator; anonymous visitors are sent to
# the sign-in page (302) everywhere.
OWN_CENTER_PAGES: dict[str, dict[str, int]] = {
    "reception": {
        "staff:dashboard": 200,
        "staff:memberships": 200,
        "staff:sharing": 403,
        "staff:center_edit": 403,
    },
    "coordinator": {
        "staff:dashboard": 200,
        "staff:memberships": 200,
        "staff:sharing": 403,
        "staff:center_edit": 403,
    },
    "chief_coordinator": {
        "staff:dashboard": 200,
        "staff:memberships": 200,
        "staff:sharing": 403,
        "staff:center_edit": 403,
    },
    "specialist": {
        "staff:dashboard": 200,
        "staff:memberships": 403,
        "staff:sharing": 403,
        "staff:center_edit": 403,
    },
    "center_admin": {
        "staff:dashboard": 200,
        "staff:memberships": 200,
        "staff:sharing": 200,
        "staff:center_edit": 200,
    },
    "municipal_officer": {
        "staff:dashboard": 200,
        "staff:memberships": 403,
        "staff:sharing": 403,
        "staff:center_edit": 403,
    },
    NETWORK_ADMIN: {page: 200 for page in PAGES},
    CITIZEN: {page: 403 for page in PAGES},
    ANONYMOUS: {page: 302 for page in PAGES},
}


def expected_status(audience: str, place: str, page: str) -> int:
    if place == "own" or audience in (NETWORK_ADMIN, ANONYMOUS):
        return OWN_CENTER_PAGES[audience][page]
    return 403


def _client_for(who: Any) -> Client:
    client = Client()
    if getattr(who, "is_authenticated", False):
        client.force_login(who)
    return client


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("audience", EVERYONE)
def test_staff_pages_answer_each_audience_as_the_matrix_says(
    network: Network, audience: str, place: str, page: str
) -> None:
    # given
    client = _client_for(make_person(audience, network.own))
    # when
    response = client.get(reverse(page, kwargs={"slug": network.center(place).slug}))
    # then
    assert response.status_code == expected_status(audience, place, page)


@pytest.mark.parametrize("audience", EVERYONE)
def test_the_back_office_home_and_the_audit_log_answer_each_audience(
    network: Network, audience: str
) -> None:
    # given
    client = _client_for(make_person(audience, network.own))
    # when
    home = client.get(reverse("staff:home"))
    log = client.get(reverse("audit:list"))
    export = client.get(reverse("audit:export"))
    # then
    staff = audience not in (CITIZEN, ANONYMOUS)
    administers = audience in ("center_admin", NETWORK_ADMIN)
    if audience == ANONYMOUS:
        assert (home.status_code, log.status_code, export.status_code) == (302, 302, 302)
    else:
        assert home.status_code == (200 if staff else 403)
        assert log.status_code == (200 if administers else 403)
        assert export.status_code == (200 if administers else 403)


@pytest.mark.parametrize("audience", [*STAFF_ROLES, CITIZEN])
def test_a_refused_staff_page_is_the_friendly_403_page(network: Network, audience: str) -> None:
    # given
    client = _client_for(make_person(audience, network.own))
    # when
    response = client.get(reverse("staff:dashboard", kwargs={"slug": network.unrelated.slug}))
    # then
    assert response.status_code == 403
    assert "<main" in response.content.decode()


# --- Acting for a group (団体) ---------------------------------------------------------------

# Whether an approved or not-yet-approved member in each role acts for the group; written
# out here rather than derived from access.ROLES_ACTING_FOR_ORGANIZATION.
ACTS_FOR_GROUP: dict[tuple[str, str], bool] = {
    ("representative", "approved"): True,
    ("member", "approved"): True,
    ("representative", "requested"): False,
    ("member", "requested"): False,
    ("representative", "rejected"): False,
    ("member", "rejected"): False,
    ("representative", "left"): False,
    ("member", "left"): False,
}


def _group(center: Any, name: str = "もいわ子育てひろば") -> Any:
    from kyodo.organizations.tests.factories import CenterRegistrationFactory, OrganizationFactory

    group = OrganizationFactory.create(voluntary=True, name=name)
    CenterRegistrationFactory.create(organization=group, center=center)
    return group


def test_the_group_matrix_covers_every_role_and_status_of_the_vocabulary() -> None:
    from kyodo.organizations.models import MemberRole, MemberStatus

    assert set(ACTS_FOR_GROUP) == {(r, s) for r in MemberRole.values for s in MemberStatus.values}
    assert set(MemberRole.values) >= access.ROLES_ACTING_FOR_ORGANIZATION


@pytest.mark.parametrize(("role", "status"), sorted(ACTS_FOR_GROUP))
def test_only_an_approved_member_acts_for_the_group(
    network: Network, role: str, status: str
) -> None:
    from kyodo.organizations.models import OrganizationMember

    # given a member of the group in that role and status
    group = _group(network.own)
    person = UserFactory.create()
    OrganizationMember.objects.create(organization=group, user=person, role=role, status=status)

    # when / then
    assert access.can_act_for_organization(person, group) is ACTS_FOR_GROUP[(role, status)]
    assert (group in access.organizations_acted_for(person)) is ACTS_FOR_GROUP[(role, status)]


@pytest.mark.parametrize("audience", EVERYONE)
def test_no_role_at_a_center_acts_for_a_group(network: Network, audience: str) -> None:
    # given a group registered at our center, and a person of each audience there
    group = _group(network.own)
    who = make_person(audience, network.own)

    # then staff book on its behalf through MANAGE_ROOMS, but never act for it
    assert access.can_act_for_organization(who, group) is False
    assert list(access.organizations_acted_for(who)) == []


def test_a_deactivated_member_or_a_merged_group_acts_no_more(network: Network) -> None:
    from kyodo.organizations.models import OrganizationMember, Status

    # given an approved representative of each of two groups
    group, merged = _group(network.own), _group(network.partner, "手話サークルこだま")
    person = UserFactory.create()
    for organization in (group, merged):
        OrganizationMember.objects.create(
            organization=organization, user=person, role="representative", status="approved"
        )
    assert list(access.organizations_acted_for(person).order_by("pk")) == [group, merged]

    # when one group is merged into another record, then the person is deactivated
    merged.status = Status.MERGED
    merged.save(update_fields=["status"])
    after_merge = list(access.organizations_acted_for(person))
    person.is_active = False
    person.save(update_fields=["is_active"])

    # then
    assert after_merge == [group]
    assert access.can_act_for_organization(person, group) is False
