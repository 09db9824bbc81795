"""Input of the account pages: sign-up, sign-in, confirmation links, passwords, profile,
API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kyodo.accounts.models import User
from kyodo.japanese.text import is_katakana_reading, normalize_spaces, normalize_width


def _clean_name_kana(value: str) -> str:
    # Half-width katakana and full-width spaces are accepted and folded.
    value = normalize_spaces(normalize_width(value))
    if value and not is_katakana_reading(value):
        raise ValidationError(
            _("Write the reading of your name in katakana, e.g. サトウ ハナコ."),
            code="not_katakana",
        )
    return value


def _email_field(**kwargs: Any) -> forms.EmailField:
    return forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **kwargs,
    )


class SignUpForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        help_text=_("How centers address you, e.g. 佐藤 花子."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    name_kana = forms.CharField(
        label=_("Name in katakana"),
        max_length=100,
        required=False,
        help_text=_("Optional. The reading of your name, e.g. サトウ ハナコ."),
    )
    email = _email_field(
        help_text=_("You sign in with this address. We send a confirmation link to it.")
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Enter the same password again, to catch typing mistakes."),
    )
    accept_privacy = forms.BooleanField(
        label=_("I have read the notice on personal information and agree to it."),
        error_messages={
            "required": _("Please agree to the notice on personal information to sign up.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django's own texts, in the language of this request.
        self.fields["password1"].help_text = " ".join(
            str(text) for text in password_validation.password_validators_help_texts()
        )

    def clean_name_kana(self) -> str:
        return _clean_name_kana(self.cleaned_data.get("name_kana", ""))

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        if password1:
            candidate = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignInForm(forms.Form):
    email = _email_field()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class EmailForm(forms.Form):
    """An e-mail address, for a new confirmation link or a password reset."""

    email = _email_field()


class SetPasswordForm(forms.Form):
    """A new password, typed twice and checked by Django's password validators."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Enter the same password again, to catch typing mistakes."),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(
            str(text) for text in password_validation.password_validators_help_texts()
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1 = cleaned.get("new_password1")
        password2 = cleaned.get("new_password2")
        if password1 and password2 and password1 != password2:
            self.add_error("new_password2", _("The two passwords do not match."))
        if password1:
            try:
                password_validation.validate_password(password1, self.user)
            except ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class PasswordChangeForm(SetPasswordForm):
    """The current password, then a new one."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        old_password = str(self.cleaned_data["old_password"])
        if not self.user.check_password(old_password):
            raise ValidationError(
                _("Your current password was not entered correctly. Please enter it again."),
                code="password_incorrect",
            )
        return old_password


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "name_kana", "preferred_language"]
        labels = {
            "display_name": _("Your name"),
            "name_kana": _("Name in katakana"),
            "preferred_language": _("Language of pages and e-mails"),
        }
        help_texts = {
            "display_name": _("How centers address you, e.g. 佐藤 花子."),
            "name_kana": _("Optional. The reading of your name, e.g. サトウ ハナコ."),
        }
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def clean_name_kana(self) -> str:
        return _clean_name_kana(self.cleaned_data.get("name_kana", ""))


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("A name to recognise the token by, e.g. 集計スクリプト."),
    )
