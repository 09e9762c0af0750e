"""Freshet's Python client: standard library only, pandas optional.

    import freshet
    client = freshet.Client("http://127.0.0.1:8080")
    train = client.historical(labels, feature_service="churn_v1", as_known="row").to_pandas()
"""

from .client import Client, OnlineResult, Snapshot
from .errors import FreshetConnectionError, FreshetError, SnapshotIncomplete
from .frames import read_snapshot

__version__ = "0.1.0"

__all__ = [
    "Client",
    "OnlineResult",
    "Snapshot",
    "FreshetError",
    "FreshetConnectionError",
    "SnapshotIncomplete",
    "read_snapshot",
]
