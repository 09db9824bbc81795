"""Factories for people. Other apps import ``UserFactory`` from here.

Every person gets a realistic Japanese name with its reading, an address at example.jp,
a confirmed e-mail address and the password ``PASSWORD``.
"""

from __future__ import annotations

import factory
from django.utils import timezone

from kyodo.accounts.models import User

PASSWORD = "kyodo-test-pass"

# (family name, reading, romanised) and (given name, reading, romanised)
FAMILY_NAMES = [
    ("佐藤", "サトウ", "sato"),
    ("鈴木", "スズキ", "suzuki"),
    ("高橋", "タカハシ", "takahashi"),
    ("田中", "タナカ", "tanaka"),
    ("伊藤", "イトウ", "ito"),
    ("渡辺", "ワタナベ", "watanabe"),
    ("山本", "ヤマモト", "yamamoto"),
    ("中村", "ナカムラ", "nakamura"),
    ("小林", "コバヤシ", "kobayashi"),
    ("加藤", "カトウ", "kato"),
    ("吉田", "ヨシダ", "yoshida"),
    ("山田", "ヤマダ", "yamada"),
]
GIVEN_NAMES = [
    ("花子", "ハナコ", "hanako"),
    ("太郎", "タロウ", "taro"),
    ("陽菜", "ヒナ", "hina"),
    ("蓮", "レン", "ren"),
    ("美咲", "ミサキ", "misaki"),
    ("健一", "ケンイチ", "kenichi"),
    ("由美子", "ユミコ", "yumiko"),
    ("翔太", "ショウタ", "shota"),
    ("恵子", "ケイコ", "keiko"),
    ("大輔", "ダイスケ", "daisuke"),
    ("さくら", "サクラ", "sakura"),
]


def _name(n: int) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    return FAMILY_NAMES[n % len(FAMILY_NAMES)], GIVEN_NAMES[(n * 7) % len(GIVEN_NAMES)]


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A person who can sign in. ``UserFactory.create(password="…")`` for another
    password, ``UserFactory.create(email_verified_at=None)`` for one who has not confirmed
    the address. (``.create()`` rather than ``UserFactory()``, so mypy knows it is a User.)"""

    class Meta:
        model = User

    class Params:
        name_parts = factory.Sequence(_name)

    display_name = factory.LazyAttribute(lambda o: f"{o.name_parts[0][0]} {o.name_parts[1][0]}")
    name_kana = factory.LazyAttribute(lambda o: f"{o.name_parts[0][1]} {o.name_parts[1][1]}")
    email = factory.LazyAttributeSequence(
        lambda o, n: f"{o.name_parts[1][2]}.{o.name_parts[0][2]}.{n}@example.jp"
    )
    password = factory.django.Password(PASSWORD)
    preferred_language = "ja"
    is_active = True
    email_verified_at = factory.LazyFunction(timezone.now)
    privacy_consented_at = factory.LazyFunction(timezone.now)
