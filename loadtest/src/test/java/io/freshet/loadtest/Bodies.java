package io.freshet.loadtest;

import java.util.List;
import java.util.function.LongSupplier;

/** Request bodies, built as strings: cheaper for the load generator than a JSON tree. */
final class Bodies {

  private Bodies() {}

  /** The ten churn features the bare ceiling's fixed response is shaped after. */
  static final String CHURN_10 =
      features(
          List.of(
              "customer_profile:age",
              "customer_profile:plan",
              "customer_profile:tenure_days",
              "customer_profile:monthly_spend",
              "customer_activity:sessions_7d",
              "customer_activity:minutes_7d",
              "customer_activity:last_login_days",
              "customer_support:tickets_30d",
              "customer_support:open_tickets",
              "customer_support:csat_score"));

  /** A {@code "features": [...]} selector. */
  static String features(List<String> names) {
    return "\"features\":[\"" + String.join("\",\"", names) + "\"]";
  }

  /** A {@code "feature_service": NAME} selector. */
  static String service(String name) {
    return "\"feature_service\":\"" + name + "\"";
  }

  /** An online request for {@code count} customers drawn from {@code keys}. */
  static String online(String selector, LongSupplier keys, int count, String meta) {
    StringBuilder body = new StringBuilder(64 + 12 * count + selector.length());
    body.append('{').append(selector).append(",\"meta\":\"").append(meta);
    body.append("\",\"entities\":{\"customer_id\":[");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append(keys.getAsLong());
    }
    return body.append("]}}").toString();
  }
}
