"""The staff back office: home, dashboard, staff list, sharing and the public profile."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kyodo.accounts.models import User
from kyodo.audit.models import Action, AuditEvent
from kyodo.centers.models import RecordKind, Role, SharingRule, StaffMembership
from kyodo.centers.tests.conftest import Network
from kyodo.centers.tests.factories import (
    CenterFactory,
    PartnershipFactory,
    SharingRuleFactory,
    StaffMembershipFactory,
    UserFactory,
)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff(network: Network, role: str = "center_admin", **fields: Any) -> User:
    user: User = UserFactory.create(**fields)
    StaffMembershipFactory.create(user=user, center=network.own, role=role)
    return user


def url(name: str, network: Network) -> str:
    return reverse(name, kwargs={"slug": network.own.slug})


# --- home ------------------------------------------------------------------------------


def test_the_back_office_home_lists_the_persons_centers_with_their_roles(
    network: Network,
) -> None:
    # given
    user = staff(network, "coordinator")
    StaffMembershipFactory.create(user=user, center=network.partner, role="specialist")
    # when
    response = signed_in(user).get(reverse("staff:home"))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert [card["center"] for card in response.context["cards"]] == [
        network.own,
        network.partner,
    ]
    assert url("staff:dashboard", network) in page
    assert network.unrelated.name not in page.split('class="staff-main"', 1)[-1]


def test_a_network_administrator_sees_every_center_and_can_search_them(
    network: Network,
) -> None:
    # given
    admin = UserFactory.create(is_network_admin=True)
    client = signed_in(admin)
    # when
    everything = client.get(reverse("staff:home"))
    searched = client.get(reverse("staff:home"), {"q": "横浜"})
    # then
    assert len(everything.context["cards"]) == 3
    assert [card["center"] for card in searched.context["cards"]] == [network.unrelated]
    assert 'type="search"' in searched.content.decode()


def test_the_center_switcher_opens_the_chosen_dashboard(network: Network) -> None:
    # given
    user = staff(network, "reception")
    client = signed_in(user)
    # when
    own = client.get(reverse("staff:home"), {"center": network.own.slug})
    other = client.get(reverse("staff:home"), {"center": network.unrelated.slug})
    # then
    assert own.status_code == 302
    assert own["Location"] == url("staff:dashboard", network)
    assert other.status_code == 200


def test_a_person_without_a_role_gets_a_friendly_refusal(network: Network) -> None:
    # when
    response = signed_in(UserFactory.create()).get(reverse("staff:home"))
    # then
    assert response.status_code == 403
    assert "<main" in response.content.decode()


# --- dashboard -------------------------------------------------------------------------


def test_the_dashboard_counts_staff_by_role_and_shows_sharing_each_way(
    network: Network,
) -> None:
    # given
    admin = staff(network, "center_admin")
    staff(network, "reception")
    staff(network, "reception")
    ended = StaffMembershipFactory.create(
        center=network.own,
        role="coordinator",
        started_on=timezone.localdate() - datetime.timedelta(days=10),
        ended_on=timezone.localdate(),
    )
    SharingRuleFactory.create(owner=network.own, partner=network.partner, kind=RecordKind.EVENTS)
    SharingRuleFactory.create(
        owner=network.partner, partner=network.own, kind=RecordKind.CONSULTATION_LISTS
    )
    # when
    response = signed_in(admin).get(url("staff:dashboard", network))
    # then
    counts = dict(response.context["staff_by_role"])
    assert counts[Role.RECEPTION.label] == 2
    assert counts[Role.CENTER_ADMIN.label] == 1
    assert counts[Role.COORDINATOR.label] == 0
    assert response.context["staff_total"] == 3
    assert ended.user.display_name not in response.content.decode()
    [row] = response.context["partners"]
    assert row["partner"] == network.partner
    assert row["we_share"] == [RecordKind.EVENTS.label]
    assert row["they_share"] == [RecordKind.CONSULTATION_LISTS.label]


def test_the_dashboard_links_only_to_what_the_role_may_do(network: Network) -> None:
    # given
    reception = signed_in(staff(network, "reception"))
    admin = signed_in(staff(network, "center_admin"))
    # when
    reception_page = reception.get(url("staff:dashboard", network)).content.decode()
    admin_page = admin.get(url("staff:dashboard", network)).content.decode()
    # then
    for name in ("staff:sharing", "staff:center_edit"):
        assert url(name, network) not in reception_page
        assert url(name, network) in admin_page
    assert url("staff:memberships", network) in reception_page
    assert reverse("audit:list") not in reception_page
    assert reverse("audit:list") in admin_page


def test_administrators_see_recent_changes_and_their_reading_is_recorded(
    network: Network,
) -> None:
    # given
    admin = staff(network, "center_admin")
    AuditEvent.objects.create(
        actor_label="sato@example.jp",
        action=Action.UPDATE,
        object_type="centers.center",
        object_repr="公開情報の変更",
        center=network.own,
    )
    AuditEvent.objects.create(
        actor_label="other@example.jp",
        action=Action.UPDATE,
        object_type="centers.center",
        object_repr="他のセンターの変更",
        center=network.unrelated,
    )
    reception = staff(network, "reception")
    # when
    admin_response = signed_in(admin).get(url("staff:dashboard", network))
    reception_response = signed_in(reception).get(url("staff:dashboard", network))
    # then
    assert [e.object_repr for e in admin_response.context["recent_events"]] == ["公開情報の変更"]
    assert "他のセンターの変更" not in admin_response.content.decode()
    assert reception_response.context["recent_events"] is None
    assert AuditEvent.objects.filter(
        actor=admin, action=Action.READ, object_type="audit.auditevent", center=network.own
    ).exists()


# --- staff list ------------------------------------------------------------------------


def test_the_staff_list_shows_current_staff_and_records_the_reading(network: Network) -> None:
    # given
    coordinator = staff(network, "coordinator", display_name="鈴木 健太")
    StaffMembershipFactory.create(
        center=network.own,
        role="reception",
        user=UserFactory.create(display_name="辞めた 人"),
        started_on=timezone.localdate() - datetime.timedelta(days=10),
        ended_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    StaffMembershipFactory.create(
        center=network.partner, user=UserFactory.create(display_name="他館 職員")
    )
    # when
    response = signed_in(coordinator).get(url("staff:memberships", network))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "鈴木 健太" in page
    assert "辞めた 人" not in page
    assert "他館 職員" not in page
    assert 'name="add-email"' not in page  # only administrators add roles
    event = AuditEvent.objects.get(actor=coordinator, action=Action.READ)
    assert event.object_type == "centers.staffmembership"
    assert event.center == network.own


def test_the_staff_list_takes_a_fixed_number_of_queries(
    network: Network, django_assert_max_num_queries: Any
) -> None:
    # given
    client = signed_in(staff(network, "center_admin"))
    for _ in range(25):
        StaffMembershipFactory.create(center=network.own, role="reception")
    # then
    with django_assert_max_num_queries(12):
        response = client.get(url("staff:memberships", network))
    assert len(response.context["memberships"]) == 26


def test_an_administrator_gives_a_verified_person_a_role(network: Network) -> None:
    # given
    admin = staff(network, "center_admin")
    newcomer = UserFactory.create(email="kato.sakura@example.jp", display_name="加藤 さくら")
    # when
    response = signed_in(admin).post(
        url("staff:memberships", network),
        {"add-email": "Kato.Sakura@example.jp", "add-role": "coordinator", "add-department": ""},
    )
    # then
    assert response.status_code == 302
    membership = StaffMembership.objects.get(user=newcomer)
    assert (membership.center, membership.role) == (network.own, Role.COORDINATOR)
    assert AuditEvent.objects.filter(
        actor=admin, action=Action.CREATE, object_type="centers.staffmembership"
    ).exists()


@pytest.mark.parametrize(
    ("email", "role", "department", "field", "message"),
    [
        (
            "nobody@example.jp",
            "reception",
            "",
            "email",
            "このメールアドレスで登録している人はいません",
        ),
        ("unverified@example.jp", "reception", "", "email", "メールアドレスの確認"),
        ("not-an-address", "reception", "", "email", "有効なメールアドレス"),
        ("kato.sakura@example.jp", "janitor", "", "role", "正しく選択"),
        ("kato.sakura@example.jp", "municipal_officer", "", "department", "部署"),
    ],
)
def test_adding_a_role_with_bad_input_keeps_the_input_and_says_why_in_japanese(
    network: Network, email: str, role: str, department: str, field: str, message: str
) -> None:
    # given
    admin = staff(network, "center_admin")
    UserFactory.create(email="kato.sakura@example.jp")
    UserFactory.create(email="unverified@example.jp", email_verified_at=None)
    before = StaffMembership.objects.count()
    # when
    response = signed_in(admin).post(
        url("staff:memberships", network),
        {"add-email": email, "add-role": role, "add-department": department},
    )
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert StaffMembership.objects.count() == before
    assert field in response.context["add_form"].errors
    assert message in page
    assert f'value="{email}"' in page


def test_the_same_role_cannot_be_given_twice(network: Network) -> None:
    # given
    admin = staff(network, "center_admin")
    coordinator = staff(network, "coordinator")
    # when
    response = signed_in(admin).post(
        url("staff:memberships", network),
        {"add-email": coordinator.email, "add-role": "coordinator"},
    )
    # then
    assert response.status_code == 200
    assert "既にこのセンターでこの役割を持っています" in response.content.decode()


def test_an_administrator_ends_a_role_and_it_takes_effect_at_once(network: Network) -> None:
    # given
    admin = staff(network, "center_admin")
    reception = staff(network, "reception")
    membership = StaffMembership.objects.get(user=reception)
    # when
    response = signed_in(admin).post(
        url("staff:memberships", network), {"end-membership": membership.pk}
    )
    # then
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on == timezone.localdate()
    assert signed_in(reception).get(url("staff:dashboard", network)).status_code == 403
    assert AuditEvent.objects.filter(
        actor=admin, action=Action.UPDATE, object_id=str(membership.pk)
    ).exists()


def test_the_last_administrator_cannot_be_removed_by_mistake(network: Network) -> None:
    # given
    admin = staff(network, "center_admin")
    membership = StaffMembership.objects.get(user=admin)
    # when
    response = signed_in(admin).post(
        url("staff:memberships", network), {"end-membership": membership.pk}
    )
    # then
    assert response.status_code == 200
    assert "最後のセンター管理者" in response.content.decode()
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_a_role_of_another_center_cannot_be_ended_from_here(network: Network) -> None:
    # given
    admin = staff(network, "center_admin")
    elsewhere = StaffMembershipFactory.create(center=network.partner, role="reception")
    # when
    response = signed_in(admin).post(
        url("staff:memberships", network), {"end-membership": elsewhere.pk}
    )
    # then
    assert response.status_code == 200
    elsewhere.refresh_from_db()
    assert elsewhere.ended_on is None


@pytest.mark.parametrize("role", ["reception", "coordinator", "chief_coordinator"])
def test_staff_who_may_see_the_list_cannot_change_it(network: Network, role: str) -> None:
    # given
    member = staff(network, role)
    target = staff(network, "reception")
    newcomer = UserFactory.create()
    client = signed_in(member)
    # when
    adding = client.post(
        url("staff:memberships", network),
        {"add-email": newcomer.email, "add-role": "center_admin"},
    )
    ending = client.post(
        url("staff:memberships", network),
        {"end-membership": StaffMembership.objects.get(user=target).pk},
    )
    # then
    assert (adding.status_code, ending.status_code) == (403, 403)
    assert not StaffMembership.objects.filter(user=newcomer).exists()
    assert StaffMembership.objects.get(user=target).ended_on is None


# --- sharing ---------------------------------------------------------------------------


def test_an_administrator_chooses_what_to_share_with_a_partner(network: Network) -> None:
    # given
    admin = staff(network, "center_admin")
    SharingRuleFactory.create(owner=network.own, partner=network.partner, kind=RecordKind.ALERTS)
    field = f"p{network.partner.pk}-kinds"
    # when
    response = signed_in(admin).post(
        url("staff:sharing", network),
        {"partner": network.partner.pk, field: ["events", "rooms_for_referral"]},
    )
    # then
    assert response.status_code == 302
    kinds = set(
        SharingRule.objects.filter(owner=network.own, partner=network.partner).values_list(
            "kind", flat=True
        )
    )
    assert kinds == {"events", "rooms_for_referral"}
    event = AuditEvent.objects.get(actor=admin, action=Action.UPDATE)
    assert event.details == {"before": ["alerts"], "after": ["events", "rooms_for_referral"]}


def test_the_sharing_page_shows_the_current_choices_and_what_partners_share(
    network: Network,
) -> None:
    # given
    admin = staff(network, "center_admin")
    SharingRuleFactory.create(owner=network.own, partner=network.partner, kind=RecordKind.EVENTS)
    SharingRuleFactory.create(owner=network.partner, partner=network.own, kind=RecordKind.ALERTS)
    # when
    response = signed_in(admin).get(url("staff:sharing", network))
    # then
    [row] = response.context["partners"]
    assert row["form"].initial == {"kinds": ["events"]}
    assert row["they_share"] == [RecordKind.ALERTS.label]
    page = response.content.decode()
    assert 'value="events"' in page and "checked" in page


def test_sharing_with_a_center_that_is_not_a_partner_is_refused(network: Network) -> None:
    # given
    admin = staff(network, "center_admin")
    field = f"p{network.unrelated.pk}-kinds"
    # when
    response = signed_in(admin).post(
        url("staff:sharing", network), {"partner": network.unrelated.pk, field: ["events"]}
    )
    # then
    assert response.status_code == 400
    assert not SharingRule.objects.filter(owner=network.own).exists()


def test_an_unknown_kind_of_record_is_reported_and_nothing_changes(network: Network) -> None:
    # given
    admin = staff(network, "center_admin")
    field = f"p{network.partner.pk}-kinds"
    # when
    response = signed_in(admin).post(
        url("staff:sharing", network), {"partner": network.partner.pk, field: ["secrets"]}
    )
    # then
    assert response.status_code == 200
    assert "正しく選択" in response.content.decode()
    assert not SharingRule.objects.exists()


def test_a_partner_is_listed_once_whichever_side_of_the_pair_it_is(network: Network) -> None:
    # given
    admin = staff(network, "center_admin")
    earlier = CenterFactory.create()  # a smaller id than our center? the pair is ordered either way
    PartnershipFactory.create(first=network.own, second=earlier)
    # when
    response = signed_in(admin).get(url("staff:sharing", network))
    # then
    assert {row["partner"] for row in response.context["partners"]} == {
        network.partner,
        earlier,
    }


# --- public profile --------------------------------------------------------------------


def test_an_administrator_edits_the_public_profile(network: Network) -> None:
    # given
    admin = staff(network, "center_admin")
    client = signed_in(admin)
    form = client.get(url("staff:center_edit", network)).context["form"]
    data = {name: value or "" for name, value in form.initial.items()}
    data.update(
        {
            "opening_hours": "火曜日～日曜日 9:00～21:00",
            "phone": "011-728-5888",
            "services": ["consultation", "library"],
        }
    )
    # when
    response = client.post(url("staff:center_edit", network), data)
    # then
    assert response.status_code == 302
    network.own.refresh_from_db()
    assert network.own.opening_hours == "火曜日～日曜日 9:00～21:00"
    assert network.own.phone == "011-728-5888"
    assert set(network.own.service_codes) == {"consultation", "library"}
    event = AuditEvent.objects.get(actor=admin, action=Action.UPDATE)
    assert set(event.details["fields"]) == {"opening_hours", "phone", "services"}


def test_a_profile_with_bad_input_is_shown_again_with_the_input_and_field_errors(
    network: Network,
) -> None:
    # given
    admin = staff(network, "center_admin")
    client = signed_in(admin)
    # when
    response = client.post(
        url("staff:center_edit", network),
        {
            "name": "",
            "name_kana": "さっぽろ",
            "area_served": "札幌市内",
            "website": "not a url",
            "opening_hours": "月曜日～土曜日 9:00～21:00",
        },
    )
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "name_kana", "website"}
    assert "カタカナ" in page
    assert "月曜日～土曜日 9:00～21:00" in page
    assert 'aria-invalid="true"' in page
    network.own.refresh_from_db()
    assert network.own.name == "札幌市市民活動サポートセンター"
