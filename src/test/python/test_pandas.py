"""DataFrames in and out: pandas Timestamps and DataFrames as input, typed frames as output, and a
scikit-learn pipeline fitted on a frame as it is returned. Skipped, saying so, without pandas."""

import os
import tempfile
import unittest

import freshet
import support

try:
    import pandas as pd
except ImportError:
    pd = None

if pd is None:
    raise unittest.SkipTest("pandas is not installed: the DataFrame tests are skipped")


class Frames(unittest.TestCase):
    def setUp(self):
        self.client = support.client()

    def _history(self, count):
        ids = support.fresh_ids(count)
        at = pd.Timestamp.now(tz="UTC") - pd.Timedelta(minutes=20)
        profiles = pd.DataFrame(
            {
                "customer_id": ids,
                "event_timestamp": [at] * count,
                "age": [30 + i for i in range(count)],
                "plan": ["pro" if i % 2 else "basic" for i in range(count)],
                "tenure_days": [365 * i for i in range(count)],
                "monthly_spend": [float("nan") if i % 3 == 0 else 0.1 * i for i in range(count)],
            }
        )
        self.assertEqual(count, self.client.ingest("customer_profile", profiles)["rows"])
        return ids

    def test_toPandas_dtypesFromTheManifest_labelsPassThrough(self):
        ids = self._history(4)
        labels = pd.DataFrame(
            {
                "customer_id": ids + [1],
                "timestamp": [pd.Timestamp.now(tz="UTC")] * 5,
                "label": [1, 0, 1, 0, 1],
                "weight": [0.5, 1.0, 1.0, 1.0, 2.0],
            }
        )
        train = self.client.historical(
            labels, feature_service="churn_v1", include_status=True
        ).to_pandas()
        dtypes = train.dtypes.astype(str).to_dict()
        self.assertEqual("Int64", dtypes["customer_id"])
        self.assertEqual("datetime64[ns, UTC]", dtypes["timestamp"])
        self.assertEqual("Int64", dtypes["label"])
        self.assertEqual("float64", dtypes["weight"])
        self.assertEqual("Int64", dtypes["customer_profile:age"])
        self.assertEqual("object", dtypes["customer_profile:plan"])
        self.assertEqual("float64", dtypes["customer_profile:monthly_spend"])
        self.assertEqual("Int64", dtypes["customer_activity:last_login_days"])
        self.assertTrue(pd.isna(train["customer_profile:age"].iloc[4]))
        self.assertTrue(pd.isna(train["customer_profile:monthly_spend"].iloc[0]))
        self.assertEqual(0.1, train["customer_profile:monthly_spend"].iloc[1])
        self.assertEqual(
            ["FRESH", "FRESH", "FRESH", "FRESH", "MISSING"],
            list(train["customer_profile:age__status"]),
        )

    def test_boolAndTimestampColumns(self):
        ids = self._history(3)
        labels = [{"customer_id": c, "timestamp": pd.Timestamp.now(tz="UTC")} for c in ids]
        frame = self.client.historical(
            labels, features=["premium_plan", "customer_profile:age"], include_timestamps=True
        ).to_pandas()
        self.assertEqual("boolean", str(frame["premium_plan"].dtype))
        self.assertEqual([False, True, False], list(frame["premium_plan"]))
        self.assertEqual("datetime64[ns, UTC]", str(frame["premium_plan__event_timestamp"].dtype))

    def test_pandasTimestamps_naiveAndNanosecondRefusedUnlessAsked(self):
        [customer] = self._history(1)
        naive = pd.DataFrame(
            {"customer_id": [customer], "timestamp": [pd.Timestamp("2026-11-22 10:00")]}
        )
        with self.assertRaises(ValueError) as refused:
            self.client.historical(naive, feature_service="churn_v1")
        self.assertIn("no time zone", str(refused.exception))
        rows = self.client.historical(naive, feature_service="churn_v1", timezone="UTC").rows()
        self.assertEqual("2026-11-22T10:00:00.000000Z", rows[0]["timestamp"])
        precise = [
            {"customer_id": customer, "timestamp": pd.Timestamp("2026-11-22T10:00:00.123456789Z")}
        ]
        with self.assertRaises(ValueError) as refused:
            self.client.historical(precise, feature_service="churn_v1")
        self.assertIn("nanoseconds", str(refused.exception))
        rows = self.client.historical(
            precise, feature_service="churn_v1", truncate_nanoseconds=True
        ).rows()
        self.assertEqual("2026-11-22T10:00:00.123456Z", rows[0]["timestamp"])

    def test_readSnapshot_csvFileReadBackExactly(self):
        ids = self._history(5)
        labels = [{"customer_id": c, "timestamp": pd.Timestamp.now(tz="UTC")} for c in ids]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "train.csv")
            self.client.snapshot_to_file(path, labels, feature_service="churn_v1")
            from_file = freshet.read_snapshot(path)
        streamed = self.client.historical(labels, feature_service="churn_v1").to_pandas()
        self.assertEqual(
            streamed.dtypes.astype(str).to_dict(), from_file.dtypes.astype(str).to_dict()
        )
        pd.testing.assert_frame_equal(
            streamed.drop(columns="timestamp"),
            from_file.drop(columns="timestamp"),
            check_exact=True,
        )

    def test_onlineToPandas_typedLikeTheSnapshot(self):
        ids = self._history(3)
        online = self.client.online({"customer_id": ids}, feature_service="churn_v1").to_pandas()
        columns = self.client.online(
            {"customer_id": ids}, feature_service="churn_v1", layout="columns"
        ).to_pandas()
        pd.testing.assert_frame_equal(online, columns, check_exact=True)
        snapshot = self.client.historical(
            [{"customer_id": c, "timestamp": pd.Timestamp.now(tz="UTC")} for c in ids],
            feature_service="churn_v1",
        ).to_pandas()
        self.assertEqual(
            snapshot.drop(columns="timestamp").dtypes.astype(str).to_dict(),
            online.dtypes.astype(str).to_dict(),
        )


class ScikitLearn(unittest.TestCase):
    def test_aPipelineFitsOnTheFrameAsReturned(self):
        try:
            from sklearn.compose import ColumnTransformer
            from sklearn.impute import SimpleImputer
            from sklearn.linear_model import LogisticRegression
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import OneHotEncoder, StandardScaler
        except ImportError:
            self.skipTest("scikit-learn is not installed")
        client = support.client()
        ids = support.fresh_ids(40)
        at = pd.Timestamp.now(tz="UTC") - pd.Timedelta(minutes=5)
        client.ingest(
            "customer_profile",
            [
                support.profile(
                    c,
                    at,
                    age=20 + i,
                    plan="pro" if i % 3 else "basic",
                    spend=None if i % 4 == 0 else 5.0 * i,
                )
                for i, c in enumerate(ids)
            ],
        )
        snapshot = client.historical(
            [
                {"customer_id": c, "timestamp": pd.Timestamp.now(tz="UTC"), "label": i % 2}
                for i, c in enumerate(ids)
            ],
            feature_service="churn_v1",
        )
        train = snapshot.to_pandas()
        names = [f["name"] for f in snapshot.manifest["features"]]
        kinds = {c["name"]: c["type"] for c in snapshot.manifest["columns"]}
        numeric = [n for n in names if kinds[n] != "string"]
        categorical = [n for n in names if kinds[n] == "string"]
        pipeline = make_pipeline(
            ColumnTransformer(
                [
                    (
                        "n",
                        make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
                        numeric,
                    ),
                    (
                        "c",
                        make_pipeline(
                            SimpleImputer(strategy="most_frequent"),
                            OneHotEncoder(handle_unknown="ignore"),
                        ),
                        categorical,
                    ),
                ]
            ),
            LogisticRegression(),
        )
        pipeline.fit(train[names], train["label"].astype("int64"))
        self.assertEqual(40, len(pipeline.predict(train[names])))


if __name__ == "__main__":
    unittest.main()
