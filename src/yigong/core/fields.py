from __future__ import annotations

from django.db import models

from yigong.core import crypto


class EncryptedTextField(models.TextField):
    """Stores text encrypted at rest; reads it back decrypted. Empty stays empty."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)
