"""Settings read from the environment (`XINYONG_…`): a value that cannot be
read stops the platform at start with a message naming the variable, not a
Python traceback in the middle of an import."""

import os

from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value.strip())
    except ValueError:
        # Read before translations are set up: the message is plain Chinese.
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数，现为“{value}”") from None


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or networks (`10.0.0.1, 192.168.0.0/24`)."""
    import ipaddress

    values = [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"环境变量 {name} 应为逗号分隔的 IP 地址或网段，“{value}”无法识别"
            ) from None
    return values
