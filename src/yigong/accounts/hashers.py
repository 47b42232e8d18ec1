from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a tiny cost, for tests and bulk demo data only (see settings)."""

    algorithm = "argon2fast"
    time_cost = 1
    memory_cost = 64
    parallelism = 1
