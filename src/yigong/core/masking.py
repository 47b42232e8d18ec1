"""How personal numbers are shown to people who may not see them in full."""


def mask_id_number(value: str) -> str:
    """11010519491231002X -> 1101**********002X; shorter documents keep less (E12345678 -> E1*****78)."""
    if not value:
        return ""
    n = len(value)
    if n >= 15:
        keep = 4
    elif n >= 7:
        keep = 2
    elif n >= 3:
        keep = 1
    else:
        return "*" * n
    return value[:keep] + "*" * (n - 2 * keep) + value[-keep:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678; +8613812345678 likewise on its national part;
    other countries keep their calling code: +85291234567 -> +852****4567."""
    if not value:
        return ""
    if value.startswith("+86"):
        digits = value[3:]
    elif value.startswith("+"):
        head, rest = value[:4], value[4:]
        if len(rest) <= 4:
            return head + "*" * len(rest)
        return head + "*" * max(0, len(rest) - 4) + rest[-4:]
    else:
        digits = value
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(value: str) -> str:
    """张三 -> 张*; 欧阳娜娜 -> 欧***; Alice -> A****."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)
