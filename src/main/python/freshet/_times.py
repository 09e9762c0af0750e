"""Timestamps as Freshet takes them: ISO-8601 with a zone, at most microseconds.

A naive time (no zone) means nothing until a zone is given; a nanosecond time cannot be stored
without losing digits. Both are refused with the reason, unless asked for: ``timezone=`` gives
naive times a zone, ``truncate_nanoseconds=True`` drops digits past the microsecond.
"""

import datetime

_UTC = datetime.timezone.utc


def _zone(timezone):
    if timezone is None or isinstance(timezone, datetime.tzinfo):
        return timezone
    if timezone in ("UTC", "Z", "utc"):
        return _UTC
    from zoneinfo import ZoneInfo

    return ZoneInfo(timezone)


def to_text(value, timezone=None, truncate_nanoseconds=False, what="timestamp"):
    """The request text for one time value; strings pass as they are, for the server to check."""
    if isinstance(value, str):
        return value
    if value is None or value != value:
        raise ValueError("%s is missing" % what)
    nanoseconds = getattr(value, "nanosecond", 0)
    if type(value).__name__ == "datetime64":
        import pandas

        value = pandas.Timestamp(value)
        nanoseconds = value.nanosecond
    if nanoseconds:
        if not truncate_nanoseconds:
            raise ValueError(
                "%s %s has nanoseconds; Freshet keeps microseconds. Pass "
                "truncate_nanoseconds=True to drop the last three digits" % (what, value)
            )
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime(warn=False) if nanoseconds else value.to_pydatetime()
    if not isinstance(value, datetime.datetime):
        raise TypeError(
            "%s must be a datetime, a pandas Timestamp or an ISO-8601 string, not %s"
            % (what, type(value).__name__)
        )
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        zone = _zone(timezone)
        if zone is None:
            raise ValueError(
                "%s %s has no time zone; pass timezone='UTC' (or the zone it was recorded in)"
                % (what, value.isoformat())
            )
        value = value.replace(tzinfo=zone)
    return value.astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
