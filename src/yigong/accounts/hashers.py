from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a tiny cost, used only by the test suite (see settings.TESTING)."""

    algorithm = "argon2fast"
    time_cost = 1
    memory_cost = 64
    parallelism = 1
