package io.freshet.tier;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Tells an unreachable or shutting-down Postgres apart from a failing statement. */
final class PgFailures {

  private PgFailures() {}

  /** The as-of index refused a second record with the same key, event time and ingested_at. */
  static boolean isIngestedAtTaken(Throwable failure) {
    return failure instanceof PgException
        && "23505".equals(((PgException) failure).getSqlState())
        && "feature_history_as_of".equals(((PgException) failure).getConstraint());
  }

  static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException
          || t instanceof ClosedConnectionException
          || t instanceof TimeoutException
          || t instanceof TierUnavailableException) {
        return true;
      }
      if (t instanceof PgException) {
        String state = ((PgException) t).getSqlState();
        // 08: connection exceptions; 57P: operator intervention (shutdown, crash recovery);
        // 53: insufficient resources (too many connections).
        return state != null
            && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"));
      }
      if (t instanceof VertxException && t.getMessage() != null) {
        String message = t.getMessage();
        if (message.contains("Connection refused") || message.contains("closed")) {
          return true;
        }
      }
    }
    return false;
  }
}
