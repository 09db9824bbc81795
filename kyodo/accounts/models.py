"""People who sign in to Kyodo, their API tokens and failed sign-ins.

A person is a citizen, a member of a civic group, a member of staff at one or more
centers (see ``centers.StaffMembership``), a municipal officer (行政職員) or a network
administrator. What a person may do is decided in ``kyodo/centers/access.py`` only.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a Kyodo sign-in. The e-mail address is the sign-in name.

    ``is_staff`` only opens Django's admin, which is for operators; center staff are
    ``StaffMembership`` rows and never need it.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name (kana)"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=[("ja", "日本語"), ("en", "English")], default="ja"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("operator (Django admin)"),
        default=False,
        help_text=_("Opens the operators' admin site. Center staff do not need it."),
    )
    is_network_admin = models.BooleanField(
        _("network administrator"),
        default=False,
        help_text=_("Administers every center of the network."),
    )
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    privacy_consented_at = models.DateTimeField(
        _("agreed to the privacy notice at"), null=True, blank=True
    )
    date_joined = models.DateTimeField(_("joined at"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def has_verified_email(self) -> bool:
        return self.email_verified_at is not None

    def verify_email(self) -> None:
        if self.email_verified_at is None:
            self.email_verified_at = timezone.now()
            self.save(update_fields=["email_verified_at"])


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A bearer token for an API client acting for one person.

    Only a SHA-256 digest of the token is stored; the token itself is shown once.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user})"

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(
        cls, *, user: User, name: str = "", lifetime: timedelta | None = None
    ) -> tuple[ApiToken, str]:
        """Create a token for ``user``; returns the row and the token to show once."""
        key = "kyd_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_prefix=key[: cls.PREFIX_LENGTH],
            key_digest=cls.digest(key),
            expires_at=timezone.now() + lifetime if lifetime else None,
        )
        return token, key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class LoginFailureQuerySet(models.QuerySet["LoginFailure"]):
    def recent(self, minutes: int) -> LoginFailureQuerySet:
        return self.filter(failed_at__gte=timezone.now() - timedelta(minutes=minutes))

    def for_account(self, email: str) -> LoginFailureQuerySet:
        return self.filter(email=LoginFailure.normalize(email))

    def from_address(self, ip_address: str | None) -> LoginFailureQuerySet:
        if not ip_address:
            return self.none()
        return self.filter(ip_address=ip_address)


class LoginFailure(models.Model):
    """One failed sign-in, kept for rate limiting (per account and per address)."""

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    failed_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = LoginFailureQuerySet.as_manager()

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.email} {self.ip_address or ''} {self.failed_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def normalize(email: str) -> str:
        return email.strip().lower()[:254]

    @classmethod
    def minutes_until_allowed(cls, *, email: str, ip_address: str | None) -> int:
        """How long sign-in stays refused for this account or address (0: allowed now).

        Sign-in is refused while the account has ``KYODO_LOGIN_FAILURES_PER_ACCOUNT``
        failures, or the address ``KYODO_LOGIN_FAILURES_PER_ADDRESS`` failures, within
        the last ``KYODO_LOGIN_WINDOW_MINUTES``. It is allowed again once enough of
        those failures have left the window.
        """
        window = settings.KYODO_LOGIN_WINDOW_MINUTES
        now = timezone.now()
        waits = [timedelta(0)]
        for failures, limit in (
            (cls.objects.for_account(email), settings.KYODO_LOGIN_FAILURES_PER_ACCOUNT),
            (cls.objects.from_address(ip_address), settings.KYODO_LOGIN_FAILURES_PER_ADDRESS),
        ):
            # The limit-th most recent failure: once it leaves the window, fewer than
            # ``limit`` failures remain in it.
            times = list(
                failures.recent(window)
                .order_by("-failed_at")
                .values_list("failed_at", flat=True)[max(limit, 1) - 1 : max(limit, 1)]
            )
            if times:
                waits.append(times[0] + timedelta(minutes=window) - now)
        wait = max(waits)
        if wait <= timedelta(0):
            return 0
        return max(1, math.ceil(wait.total_seconds() / 60))
