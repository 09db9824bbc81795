"""Factories for the network of centers, with realistic Japanese data.

People come from ``kyodo.accounts.tests.factories.UserFactory``.
"""

from __future__ import annotations

from typing import Any

import factory

from kyodo.accounts.tests.factories import PASSWORD, UserFactory
from kyodo.centers.models import (
    Center,
    CenterKind,
    Partnership,
    RecordKind,
    Role,
    SharingRule,
    StaffMembership,
)

__all__ = [
    "PASSWORD",
    "CenterFactory",
    "PartnershipFactory",
    "SharingRuleFactory",
    "StaffMembershipFactory",
    "UserFactory",
]

# (municipality, reading, romanised, prefecture)
PLACES = [
    ("江別市", "エベツシ", "ebetsu", "北海道"),
    ("小樽市", "オタルシ", "otaru", "北海道"),
    ("旭川市", "アサヒカワシ", "asahikawa", "北海道"),
    ("函館市", "ハコダテシ", "hakodate", "北海道"),
    ("釧路市", "クシロシ", "kushiro", "北海道"),
    ("帯広市", "オビヒロシ", "obihiro", "北海道"),
    ("横浜市", "ヨコハマシ", "yokohama", "神奈川県"),
    ("川崎市", "カワサキシ", "kawasaki", "神奈川県"),
    ("仙台市", "センダイシ", "sendai", "宮城県"),
    ("盛岡市", "モリオカシ", "morioka", "岩手県"),
]


class CenterFactory(factory.django.DjangoModelFactory[Center]):
    """A city's 市民活動センター; ``CenterFactory.create(kind=CenterKind.WARD, parent=…)``,
    ``CenterFactory.create(services=["consultation", "training"])``."""

    class Meta:
        model = Center
        skip_postgeneration_save = True

    class Params:
        place = factory.Sequence(lambda n: PLACES[n % len(PLACES)])

    slug = factory.LazyAttributeSequence(lambda o, n: f"{o.place[2]}-center-{n}")
    name = factory.LazyAttributeSequence(
        lambda o, n: f"{o.place[0]}市民活動センター{'' if n < len(PLACES) else f'第{n}'}"
    )
    name_kana = factory.LazyAttribute(lambda o: f"{o.place[1]}シミンカツドウセンター")
    kind = CenterKind.CITY
    prefecture = factory.LazyAttribute(lambda o: o.place[3])
    municipality = factory.LazyAttribute(lambda o: o.place[0])
    area_served = factory.LazyAttribute(lambda o: f"{o.place[0]}内")
    address = ""
    phone = "011-211-3061"
    services_description = "会議室、相談、講座、情報提供"
    opening_hours = "月曜日～土曜日 9:00～21:00\n日曜日・祝日 9:00～17:00"

    @factory.post_generation
    def services(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """``CenterFactory.create(services=["consultation", …])``."""
        if create and extracted:
            self.set_services(list(extracted))  # type: ignore[attr-defined]


class StaffMembershipFactory(factory.django.DjangoModelFactory[StaffMembership]):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    center = factory.SubFactory(CenterFactory)
    role = Role.COORDINATOR
    department = factory.LazyAttribute(
        lambda o: "市民文化局市民自治推進室" if o.role == Role.MUNICIPAL_OFFICER else ""
    )


class PartnershipFactory(factory.django.DjangoModelFactory[Partnership]):
    """Two partner centers; the pair is stored in order whichever way it is given."""

    class Meta:
        model = Partnership

    first = factory.SubFactory(CenterFactory)
    second = factory.SubFactory(CenterFactory, kind=CenterKind.PARTNER_FACILITY)
    description = "研修・セミナー等での連携協力、相談業務での連携協力"

    @classmethod
    def _create(cls, model_class: type[Partnership], *args: Any, **kwargs: Any) -> Partnership:
        first, second = kwargs["first"], kwargs["second"]
        if first.pk > second.pk:
            kwargs["first"], kwargs["second"] = second, first
        return super()._create(model_class, *args, **kwargs)


class SharingRuleFactory(factory.django.DjangoModelFactory[SharingRule]):
    """``owner`` shares ``kind`` with ``partner``; they are made partners if they are not."""

    class Meta:
        model = SharingRule

    owner = factory.SubFactory(CenterFactory)
    partner = factory.SubFactory(CenterFactory)
    kind = RecordKind.EVENTS

    @classmethod
    def _create(cls, model_class: type[SharingRule], *args: Any, **kwargs: Any) -> SharingRule:
        owner, partner = kwargs["owner"], kwargs["partner"]
        if not owner.is_partner_of(partner):
            PartnershipFactory.create(first=owner, second=partner)
        return super()._create(model_class, *args, **kwargs)
