"""The operations that change who may see what: permission, validation, audit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kyodo.accounts.models import User
from kyodo.audit.models import Action, AuditEvent
from kyodo.centers import actions
from kyodo.centers.models import Center, Partnership, RecordKind, Role, SharingRule, StaffMembership
from kyodo.centers.tests.conftest import Network
from kyodo.centers.tests.factories import CenterFactory, StaffMembershipFactory, UserFactory


def admin_of(*centers: Center) -> User:
    user = UserFactory.create()
    for center in centers:
        StaffMembershipFactory.create(user=user, center=center, role=Role.CENTER_ADMIN)
    return user


def test_add_partnership_stores_the_pair_in_order_and_records_it_for_both(
    network: Network,
) -> None:
    # given
    a, b = CenterFactory.create(), CenterFactory.create()
    by = admin_of(a, b)
    # when
    partnership = actions.add_partnership(first=b, second=a, description="相互PR", by=by)
    # then
    assert (partnership.first, partnership.second) == (a, b)
    assert set(
        AuditEvent.objects.filter(
            action=Action.CREATE, object_type="centers.partnership"
        ).values_list("center_id", flat=True)
    ) == {a.pk, b.pk}


def test_add_partnership_needs_the_consent_of_both_centers(network: Network) -> None:
    # given
    by = admin_of(network.own)
    # then
    with pytest.raises(PermissionDenied):
        actions.add_partnership(first=network.own, second=network.unrelated, by=by)
    assert not Partnership.objects.involving(network.unrelated).exists()


def test_add_partnership_refuses_a_pair_that_exists_or_a_center_with_itself(
    network: Network,
) -> None:
    # given
    by = UserFactory.create(is_network_admin=True)
    # then
    with pytest.raises(ValidationError):
        actions.add_partnership(first=network.partner, second=network.own, by=by)
    with pytest.raises(ValidationError):
        actions.add_partnership(first=network.own, second=network.own, by=by)


def test_set_sharing_rules_replaces_the_set_and_records_before_and_after(
    network: Network,
) -> None:
    # given
    by = admin_of(network.own)
    actions.set_sharing_rules(owner=network.own, partner=network.partner, kinds=["alerts"], by=by)
    # when
    changed = actions.set_sharing_rules(
        owner=network.own, partner=network.partner, kinds=[RecordKind.EVENTS], by=by
    )
    unchanged = actions.set_sharing_rules(
        owner=network.own, partner=network.partner, kinds=["events"], by=by
    )
    # then
    assert (changed, unchanged) == (True, False)
    assert list(SharingRule.objects.values_list("kind", flat=True)) == ["events"]
    last = AuditEvent.objects.filter(object_type="centers.sharingrule").first()
    assert last is not None and last.details == {"before": ["alerts"], "after": ["events"]}
    assert AuditEvent.objects.filter(object_type="centers.sharingrule").count() == 2


def test_set_sharing_rules_only_with_a_partner_and_only_by_its_administrator(
    network: Network,
) -> None:
    # given
    by = admin_of(network.own)
    # then
    with pytest.raises(ValidationError):
        actions.set_sharing_rules(
            owner=network.own, partner=network.unrelated, kinds=["events"], by=by
        )
    with pytest.raises(PermissionDenied):
        actions.set_sharing_rules(
            owner=network.partner, partner=network.own, kinds=["events"], by=by
        )
    assert not SharingRule.objects.exists()


def test_add_staff_membership_needs_manage_staff(network: Network) -> None:
    # given
    chief = UserFactory.create()
    StaffMembershipFactory.create(user=chief, center=network.own, role=Role.CHIEF_COORDINATOR)
    # then
    with pytest.raises(PermissionDenied):
        actions.add_staff_membership(
            center=network.own, user=UserFactory.create(), role=Role.RECEPTION, by=chief
        )


def test_a_role_given_again_after_it_ended_is_a_new_row_and_history_stays(
    network: Network,
) -> None:
    # given
    by = admin_of(network.own)
    person = UserFactory.create()
    first = actions.add_staff_membership(
        center=network.own, user=person, role=Role.RECEPTION, by=by
    )
    actions.end_staff_membership(membership=first, by=by)
    # when
    second = actions.add_staff_membership(
        center=network.own, user=person, role=Role.RECEPTION, by=by
    )
    # then
    assert first.pk != second.pk
    assert StaffMembership.objects.filter(user=person).count() == 2
    assert list(StaffMembership.objects.current().filter(user=person)) == [second]


def test_a_role_can_end_on_a_later_day_and_holds_until_then(network: Network) -> None:
    # given
    by = admin_of(network.own)
    membership = StaffMembershipFactory.create(center=network.own, role=Role.RECEPTION)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    # when
    actions.end_staff_membership(membership=membership, on=tomorrow, by=by)
    # then
    assert StaffMembership.objects.current().filter(pk=membership.pk).exists()
    assert not membership.is_current_on(tomorrow)


def test_a_role_cannot_end_before_it_started(network: Network) -> None:
    # given
    by = admin_of(network.own)
    membership = StaffMembershipFactory.create(center=network.own, role=Role.RECEPTION)
    # then
    with pytest.raises(ValidationError):
        actions.end_staff_membership(
            membership=membership, on=membership.started_on - datetime.timedelta(days=1), by=by
        )


def test_a_network_administrator_may_remove_the_last_center_administrator(
    network: Network,
) -> None:
    # given
    only_admin = StaffMembershipFactory.create(center=network.own, role=Role.CENTER_ADMIN)
    network_admin = UserFactory.create(is_network_admin=True)
    # when
    actions.end_staff_membership(membership=only_admin, by=network_admin)
    # then
    only_admin.refresh_from_db()
    assert only_admin.ended_on == timezone.localdate()


def test_update_center_profile_needs_edit_center(network: Network) -> None:
    # given
    reception = UserFactory.create()
    StaffMembershipFactory.create(user=reception, center=network.own, role=Role.RECEPTION)
    # then
    with pytest.raises(PermissionDenied):
        actions.update_center_profile(center=network.own, data={"phone": "0"}, by=reception)
