"""Account pages: sign-up and e-mail confirmation, sign-in and sign-out, passwords,
the profile and API tokens.

A new account can sign in only once its e-mail address is confirmed (the link in the
sign-up mail, or a password reset link, which proves the same). Pages that take an
e-mail address never reveal whether an account exists for it.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kyodo.accounts import actions, verification
from kyodo.accounts.forms import (
    ApiTokenForm,
    EmailForm,
    PasswordChangeForm,
    ProfileForm,
    SetPasswordForm,
    SignInForm,
    SignUpForm,
)
from kyodo.accounts.models import ApiToken, LoginFailure, User
from kyodo.audit.actions import client_address
from kyodo.centers.access import is_staff_user
from kyodo.centers.models import StaffMembership


def _posted(request: HttpRequest) -> Any:
    """The submitted data for a bound form, or None for an empty one on GET."""
    return request.POST if request.method == "POST" else None


def _signed_in_user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _current_language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _remember_language(response: HttpResponse, language: str) -> None:
    """Make ``language`` the language of the following pages, as Django's set_language
    view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


# --- sign-up and e-mail confirmation --------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.sign_up(
            email=data["email"],
            password=data["password1"],
            display_name=data["display_name"],
            name_kana=data["name_kana"],
            preferred_language=_current_language(),
        )
        return redirect("accounts:signup_done")
    return TemplateResponse(request, "accounts/signup.html", {"form": form})


@require_GET
def signup_done(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "accounts/signup_done.html", {"valid_days": verification.MAX_AGE.days}
    )


@never_cache
@require_GET
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the sign-up mail. Opening it confirms the address: that only marks
    the address as confirmed, once, so it is safe even if a mail scanner opens it."""
    result = verification.check_token(token)
    if isinstance(result, User):
        actions.confirm_email(user=result)
        messages.success(request, _("Thank you. Your e-mail address is confirmed. Please sign in."))
        return redirect("accounts:login")
    return TemplateResponse(
        request,
        "accounts/verify_email_failed.html",
        {
            "form": EmailForm(),
            "expired": result is verification.LinkProblem.EXPIRED,
            "valid_days": verification.MAX_AGE.days,
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    form = EmailForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        actions.resend_verification(email=form.cleaned_data["email"])
        return redirect("accounts:signup_done")
    return TemplateResponse(request, "accounts/resend_verification.html", {"form": form})


# --- sign-in and sign-out ------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Sign in with e-mail address and password.

    While an account or an address has too many recent failures, sign-in is refused
    before the password is checked (429). An account whose address is not confirmed
    yet is told so, but only after the right password.
    """
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form = SignInForm(_posted(request))
    status = 200
    unverified_email = ""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        wait = LoginFailure.minutes_until_allowed(email=email, ip_address=client_address(request))
        if wait:
            actions.record_sign_in_failure(
                email=email, request=request, reason="rate_limited", counts=False
            )
            form.add_error(
                None,
                ngettext(
                    "There have been too many unsuccessful attempts to sign in. "
                    "Please wait %(minutes)s minute and try again.",
                    "There have been too many unsuccessful attempts to sign in. "
                    "Please wait %(minutes)s minutes and try again.",
                    wait,
                )
                % {"minutes": wait},
            )
            status = 429
        else:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                actions.record_sign_in_failure(
                    email=email, request=request, reason="wrong_email_or_password"
                )
                form.add_error(
                    None,
                    _(
                        "The e-mail address or the password is not correct. "
                        "Please check them and try again."
                    ),
                )
            elif not cast(User, user).has_verified_email:
                actions.record_sign_in_failure(
                    email=email, request=request, reason="email_not_confirmed", counts=False
                )
                unverified_email = email
            else:
                signed_in = cast(User, user)
                actions.sign_in(request=request, user=signed_in)
                response = redirect(_safe_next(request, next_url))
                _remember_language(response, signed_in.preferred_language)
                return response
    return TemplateResponse(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "unverified_email": unverified_email},
        status=status,
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    actions.sign_out(request=request)
    messages.success(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- passwords ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = EmailForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        actions.send_password_reset(email=form.cleaned_data["email"])
        return redirect("accounts:password_reset_done")
    return TemplateResponse(request, "registration/password_reset_form.html", {"form": form})


@require_GET
def password_reset_done(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "registration/password_reset_done.html",
        {"valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
    )


class _PasswordResetConfirm(PasswordResetConfirmView):
    """Django's view checks the link and moves the token out of the URL (so it cannot
    leak through the Referer header) before showing the form; we only swap in our form
    and our operation."""

    form_class = SetPasswordForm  # type: ignore[assignment]
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        actions.reset_password(
            user=cast(User, self.user),
            password=form.cleaned_data["new_password1"],
            request=self.request,
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


password_reset_confirm = _PasswordResetConfirm.as_view()


@require_GET
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "registration/password_reset_complete.html", {})


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    form = PasswordChangeForm(user, _posted(request))
    if request.method == "POST" and form.is_valid():
        actions.change_password(
            request=request, user=user, password=form.cleaned_data["new_password1"]
        )
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:profile")
    return TemplateResponse(request, "registration/password_change_form.html", {"form": form})


# --- profile and API tokens ----------------------------------------------------------


def _profile_page(
    request: HttpRequest,
    *,
    form: ProfileForm | None = None,
    token_form: ApiTokenForm | None = None,
    status: int = 200,
) -> TemplateResponse:
    user = _signed_in_user(request)
    memberships = StaffMembership.objects.current().filter(user=user).select_related("center")
    may_have_tokens = is_staff_user(user)
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    return TemplateResponse(
        request,
        "accounts/profile.html",
        {
            "form": form or ProfileForm(instance=user),
            "memberships": memberships,
            "may_have_tokens": may_have_tokens,
            "tokens": tokens,
            "token_form": token_form or ApiTokenForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _profile_page(request)
    user = _signed_in_user(request)
    # A fresh copy, so a rejected edit does not show up elsewhere on the page.
    form = ProfileForm(request.POST, instance=User.objects.get(pk=user.pk))
    if not form.is_valid():
        return _profile_page(request, form=form)
    data = form.cleaned_data
    actions.update_profile(
        user=user,
        display_name=data["display_name"],
        name_kana=data["name_kana"],
        preferred_language=data["preferred_language"],
    )
    translation.activate(data["preferred_language"])
    messages.success(request, _("Your profile has been saved."))
    response = redirect("accounts:profile")
    _remember_language(response, data["preferred_language"])
    return response


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    if not is_staff_user(user):
        raise PermissionDenied
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, token_form=form)
    token, key = actions.issue_api_token(user=user, name=form.cleaned_data["name"], request=request)
    # The token is shown on this response only: it is not stored, and not cached.
    response = TemplateResponse(
        request, "accounts/token_created.html", {"token": token, "key": key}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in_user(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user, revoked_at__isnull=True)
    actions.revoke_api_token(token=token, by=user, request=request)
    messages.success(
        request,
        _("The token %(prefix)s… has been revoked. Clients that use it can no longer use the API.")
        % {"prefix": token.key_prefix},
    )
    return redirect(reverse("accounts:profile") + "#tokens")
