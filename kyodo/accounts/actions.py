"""Operations on accounts: sign-up and e-mail confirmation, sign-in and sign-out,
passwords, the profile and API tokens.

E-mail goes out in ``transaction.on_commit``, in the recipient's preferred language,
as plain text with an HTML alternative. Mails that anyone can trigger for an address
(a new confirmation link, a password reset, "someone tried to sign up") are sent at
most once per ``MAIL_INTERVAL_SECONDS`` per address and kind, so the forms cannot be
used to flood someone's mailbox.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kyodo.accounts import verification
from kyodo.accounts.models import ApiToken, LoginFailure, User
from kyodo.audit.actions import client_address, record_event
from kyodo.audit.models import Action

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

MAIL_INTERVAL_SECONDS = 60


# --- e-mail ---------------------------------------------------------------------------


def _absolute(path: str) -> str:
    # SITE_URL, never the request's Host header, so a forged Host cannot redirect links.
    return f"{settings.SITE_URL}{path}"


def _send_mail(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    """Render ``emails/accounts/<template>{_subject.txt,.txt,.html}`` and send it."""
    context = {"site_name": "Kyodo", "site_url": settings.SITE_URL, **context}
    with translation.override(language):
        base = f"emails/accounts/{template}"
        subject = "".join(render_to_string(f"{base}_subject.txt", context).splitlines())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    message = EmailMultiAlternatives(subject.strip(), text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        # The person can ask for the mail again; a mail server hiccup must not turn a
        # committed sign-up into an error page.
        logger.exception("Could not send the %s mail to user %s", template, to)


def _send_after_commit(*, to: str, template: str, context: dict[str, Any], language: str) -> None:
    transaction.on_commit(
        partial(_send_mail, to=to, template=template, context=context, language=language)
    )


def _may_mail(kind: str, email: str) -> bool:
    """At most one mail of ``kind`` per address every MAIL_INTERVAL_SECONDS."""
    return bool(cache.add(f"accounts:mail:{kind}:{email.lower()}", 1, MAIL_INTERVAL_SECONDS))


def _send_verification(user: User) -> None:
    link = _absolute(reverse("accounts:verify_email", args=[verification.make_token(user)]))
    _send_after_commit(
        to=user.email,
        template="verify_email",
        context={
            "user": user,
            "link": link,
            "valid_days": verification.MAX_AGE.days,
        },
        language=user.preferred_language,
    )


# --- sign-up and e-mail confirmation --------------------------------------------------


def sign_up(
    *,
    email: str,
    password: str,
    display_name: str,
    name_kana: str = "",
    preferred_language: str = "ja",
) -> User | None:
    """Create an account that can sign in once its e-mail address is confirmed, and
    mail the confirmation link.

    If the address already has an account, nothing is created and the page says the
    same as for a new one (so the form does not reveal who has an account); instead the
    owner of the address gets a mail: a new confirmation link if the account still
    awaits confirmation, otherwise a note that someone tried to sign up with it.
    Returns the new account, or None when the address was taken.
    """
    email = User.objects.normalize_email(email).strip().lower()
    # Hashed whether or not the address is taken, so both answers take as long.
    password_hash = make_password(password)
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    user = User.objects.create(
                        email=email,
                        password=password_hash,
                        display_name=display_name,
                        name_kana=name_kana,
                        preferred_language=preferred_language,
                        privacy_consented_at=timezone.now(),
                    )
            except IntegrityError:  # the same address signed up a moment ago
                existing = User.objects.get(email__iexact=email)
            else:
                _send_verification(user)
                return user
        _notify_existing_account(existing)
    return None


def _notify_existing_account(user: User) -> None:
    if not user.is_active:
        return
    if not user.has_verified_email:
        if _may_mail("verify", user.email):
            _send_verification(user)
        return
    if _may_mail("signup_attempt", user.email):
        _send_after_commit(
            to=user.email,
            template="signup_attempt",
            context={
                "user": user,
                "login_link": _absolute(reverse("accounts:login")),
                "reset_link": _absolute(reverse("accounts:password_reset")),
            },
            language=user.preferred_language,
        )


def resend_verification(*, email: str) -> None:
    """Mail a new confirmation link if an active account at ``email`` awaits one.

    Says nothing about whether it did, so the caller cannot reveal who has an account.
    """
    user = User.objects.filter(
        email__iexact=email.strip(), is_active=True, email_verified_at__isnull=True
    ).first()
    if user is not None and _may_mail("verify", user.email):
        with transaction.atomic():
            _send_verification(user)


def confirm_email(*, user: User) -> None:
    """Mark the person's e-mail address as confirmed; from now on they can sign in."""
    with transaction.atomic():
        user.verify_email()


# --- sign-in and sign-out ------------------------------------------------------------


def record_sign_in_failure(
    *, email: str, request: HttpRequest, reason: str, counts: bool = True
) -> None:
    """Audit a refused sign-in; when ``counts``, it also counts towards the limits.

    Attempts refused because of the limits themselves do not count, so a person locked
    out is let in again once the window has passed.
    """
    email = LoginFailure.normalize(email)
    with transaction.atomic():
        if counts:
            window = timedelta(minutes=settings.KYODO_LOGIN_WINDOW_MINUTES)
            LoginFailure.objects.filter(failed_at__lt=timezone.now() - window).delete()
            LoginFailure.objects.create(email=email, ip_address=client_address(request))
        record_event(
            actor=None,
            action=Action.SIGN_IN_FAILED,
            object_type="accounts.user",
            object_repr=email,
            request=request,
            details={"reason": reason},
        )


def sign_in(*, request: HttpRequest, user: User) -> None:
    """Start a session for ``user`` (Django rotates the session key) and forget the
    account's failed sign-ins."""
    with transaction.atomic():
        LoginFailure.objects.for_account(user.email).delete()
        login(request, user)
        record_event(actor=user, action=Action.SIGN_IN, target=user, request=request)


def sign_out(*, request: HttpRequest) -> None:
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            record_event(actor=user, action=Action.SIGN_OUT, target=user, request=request)
        logout(request)


# --- passwords ------------------------------------------------------------------------


def send_password_reset(*, email: str) -> None:
    """Mail a one-use password reset link to the active account at ``email``, if any.

    Accounts without a usable password get one too: that is how a person whose account
    an operator created sets their first password. Says nothing about whether a mail
    went out.
    """
    for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
        if not _may_mail("password_reset", user.email):
            continue
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        with transaction.atomic():
            _send_after_commit(
                to=user.email,
                template="password_reset",
                context={
                    "user": user,
                    "link": _absolute(path),
                    "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                },
                language=user.preferred_language,
            )


def reset_password(*, user: User, password: str, request: HttpRequest) -> None:
    """Set a new password from a reset link. The link came by e-mail, so it also
    confirms the address; the account's failed sign-ins are forgotten."""
    with transaction.atomic():
        user.set_password(password)
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
        user.save(update_fields=["password", "email_verified_at"])
        LoginFailure.objects.for_account(user.email).delete()
        record_event(
            actor=user,
            action=Action.UPDATE,
            target=user,
            request=request,
            details={"change": "password_reset"},
        )


def change_password(*, request: HttpRequest, user: User, password: str) -> None:
    """Change the signed-in person's password; other sessions of theirs end, this one
    stays signed in."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        update_session_auth_hash(request, user)
        record_event(
            actor=user,
            action=Action.UPDATE,
            target=user,
            request=request,
            details={"change": "password"},
        )


# --- profile and API tokens ----------------------------------------------------------


def update_profile(
    *, user: User, display_name: str, name_kana: str, preferred_language: str
) -> None:
    with transaction.atomic():
        user.display_name = display_name
        user.name_kana = name_kana
        user.preferred_language = preferred_language
        user.save(update_fields=["display_name", "name_kana", "preferred_language"])


def issue_api_token(
    *, user: User, name: str, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Create an API token for ``user``; returns the row and the token, which is shown
    once and never stored. ``request`` is None when an operator issues it from the
    command line."""
    with transaction.atomic():
        token, key = ApiToken.issue(user=user, name=name)
        record_event(
            actor=user if request is not None else None,
            action=Action.CREATE,
            target=token,
            request=request,
            details={"via": "web" if request is not None else "command", "owner": user.email},
        )
    return token, key


def revoke_api_token(*, token: ApiToken, by: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        token.revoke()
        record_event(
            actor=by,
            action=Action.UPDATE,
            target=token,
            request=request,
            details={"change": "revoked"},
        )
