"""Train a churn model on a Freshet snapshot, then serve it with online features.

Run against a Freshet that serves the example schemas (the repository's schemas/ directory):

    FRESHET_URL=http://127.0.0.1:8080 python3 src/main/python/examples/churn_model.py

It writes two weeks of synthetic history for 200 customers of its own (new ids each run), labels
each at three past times, fits churn_v2's fitted transformations from a snapshot, trains a
scikit-learn pipeline on a second snapshot as returned by .to_pandas(), then scores the same
customers twice: from an online read, and from a snapshot row at that moment. The two sets of
predictions must be identical; it exits 1 if they are not.
"""

import datetime
import random
import sys

import numpy as np

import freshet
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

SERVICE = "churn_v2"
CUSTOMERS = 200
DAYS = 14
UTC = datetime.timezone.utc


def history(first_id, now, rng):
    """Profiles nightly, activity every eight hours, support daily; ids from first_id."""
    profile, activity, support = [], [], []
    for customer in range(first_id, first_id + CUSTOMERS):
        plan = rng.choice(["basic", "pro", "enterprise"])
        engaged = rng.random()
        for day in range(DAYS, 0, -1):
            night = (now - datetime.timedelta(days=day)).replace(hour=1, minute=0, second=0)
            profile.append(
                {
                    "customer_id": customer,
                    "event_timestamp": night,
                    "age": 20 + customer % 50,
                    "plan": plan,
                    "tenure_days": 30 + customer % 900 + DAYS - day,
                    "monthly_spend": None if plan == "basic" else round(20 + 80 * engaged, 2),
                }
            )
            support.append(
                {
                    "customer_id": customer,
                    "event_timestamp": night + datetime.timedelta(hours=12),
                    "tickets_30d": rng.randint(0, 3) + int(3 * (1 - engaged)),
                    "open_tickets": rng.randint(0, 2),
                    "csat_score": None if rng.random() < 0.3 else round(rng.uniform(1, 5), 1),
                }
            )
            for hour in (2, 10, 18):
                sessions = max(0, int(rng.gauss(20 * engaged, 3)))
                activity.append(
                    {
                        "customer_id": customer,
                        "event_timestamp": night + datetime.timedelta(hours=hour),
                        "sessions_7d": sessions,
                        "minutes_7d": round(sessions * rng.uniform(2, 9), 3),
                        "last_login_days": None if sessions == 0 else rng.randint(0, 3),
                    }
                )
    return profile, activity, support


def labels(first_id, now, rng):
    """Three past label times per customer, each with a sample weight that passes through."""
    rows = []
    for customer in range(first_id, first_id + CUSTOMERS):
        for days_ago in rng.sample(range(1, DAYS - 7), 3):
            at = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 23))
            rows.append(
                {"customer_id": customer, "timestamp": at, "weight": rng.choice([0.5, 1.0])}
            )
    return rows


def model(columns):
    numeric = [c for c, kind in columns.items() if kind in ("int64", "float64", "bool")]
    categorical = [c for c, kind in columns.items() if kind == "string"]
    features = ColumnTransformer(
        [
            ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            (
                "categories",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
                ),
                categorical,
            ),
        ]
    )
    return make_pipeline(features, LogisticRegression(max_iter=1000))


def main():
    client = freshet.Client()
    rng = random.Random(20261206)
    first_id = 5_000_000 + random.randrange(1_000_000) * 1000
    now = datetime.datetime.now(UTC)

    profile, activity, support = history(first_id, now, rng)
    written = 0
    for view, rows in (
        ("customer_profile", profile),
        ("customer_activity", activity),
        ("customer_support", support),
    ):
        written += client.ingest(view, rows)["rows"]
    print("ingested %d history rows for %d customers" % (written, CUSTOMERS))

    label_rows = labels(first_id, now, rng)
    # The fitted transformations of churn_v2 (spend_z, sessions_scaled, tenure_bucket) are fitted
    # from a snapshot of the raw features, all at once.
    raw = client.historical(label_rows, feature_service="churn_raw")
    raw.rows()
    fitted = client.fit_service(SERVICE, raw.snapshot_id)
    print(
        "fitted", ", ".join("%s@%d" % (t["name"], t["version"]) for t in fitted["transformations"])
    )

    # Training rows: the weight passes through; a ROTTEN activity value is null, as serving gives
    # it. The churn label is made up from the very values the snapshot returns.
    snapshot = client.historical(
        label_rows, feature_service=SERVICE, apply_freshness=True, include_status=True
    )
    train = snapshot.to_pandas()
    sessions = train["customer_activity:sessions_7d"].astype("float64").fillna(0)
    tickets = train["customer_support:open_tickets"].astype("float64").fillna(0)
    train["churned"] = ((sessions < 8) & (tickets >= 1)).astype("int64")
    names = [f["name"] for f in snapshot.manifest["features"]]
    columns = {name: client.column_type(name) for name in names}
    pipeline = model(columns).fit(
        train[names], train["churned"], logisticregression__sample_weight=train["weight"]
    )
    print(
        "trained on %d rows of %d features; churn rate %.2f"
        % (len(train), len(names), train["churned"].mean())
    )

    customers = list(range(first_id, first_id + CUSTOMERS))
    served = client.online({"customer_id": customers}, feature_service=SERVICE)
    at = datetime.datetime.now(UTC)
    online = served.to_pandas()
    offline = client.historical(
        [{"customer_id": c, "timestamp": at} for c in customers],
        feature_service=SERVICE,
        apply_freshness=True,
    ).to_pandas()
    p_online = pipeline.predict_proba(online[names])[:, 1]
    p_offline = pipeline.predict_proba(offline[names])[:, 1]
    same = np.array_equal(p_online, p_offline)
    print(
        "scored %d customers online and from a snapshot at the same moment: predictions %s"
        % (len(customers), "identical" if same else "DIFFERENT")
    )
    if not same:
        differ = np.flatnonzero(p_online != p_offline)
        print(online.iloc[differ[:3]].T, offline.iloc[differ[:3]].T, sep="\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
