"""E-mail leaves Kyodo through real SMTP when KYODO_SMTP_HOST is configured."""

from __future__ import annotations

from django.core import mail
from django.test import override_settings

from conftest import SmtpSink


def test_mail_is_delivered_over_smtp_with_a_japanese_subject(smtp_server: SmtpSink) -> None:
    # given
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_server.port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
    ):
        # when
        sent = mail.send_mail(
            "【Kyodo】メールアドレスの確認",
            "ご登録ありがとうございます。",
            "Kyodo <no-reply@kyodo.example.jp>",
            ["hanako.sato@example.jp"],
        )

    # then
    assert sent == 1
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == "【Kyodo】メールアドレスの確認"
    assert message.get_content().strip() == "ご登録ありがとうございます。"
    assert smtp_server.envelopes[0][1] == ["hanako.sato@example.jp"]
