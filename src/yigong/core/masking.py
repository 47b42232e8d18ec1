"""How personal numbers are shown to people who may not see them in full."""


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return value[:1] + "*" * (len(value) - 2) + value[-1:]
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678; +8613812345678 likewise on its national part."""
    if not value:
        return ""
    digits = value[3:] if value.startswith("+86") else value
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(value: str) -> str:
    """张三 -> 张*; 欧阳娜娜 -> 欧***; Alice -> A****."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)
