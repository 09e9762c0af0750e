package io.freshet.tier;

import io.freshet.model.TierUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Tells an unreachable or shutting-down Postgres apart from a failing statement. */
public final class PgFailures {

  /**
   * How the SQL client words the failures of a connection that is going or gone, lower-cased: it
   * reports them as plain {@link VertxException}s ("Connection is not active now, current status:
   * CLOSED" when the pool hands out a connection the server has just dropped, "Pending requests
   * failed to be sent due to connection has been closed.", "Timeout waiting for connection").
   */
  private static final List<String> CONNECTION_GONE =
      List.of("closed", "closing", "connection refused", "not active", "timeout waiting");

  private PgFailures() {}

  /**
   * The same outcome, except that a failure saying Postgres cannot be reached becomes a {@link
   * TierUnavailableException}, which is answered 503 {@code unavailable}: for the statements that
   * do not go through the cold tier (snapshot manifests, fits), so they fail the way its reads do.
   */
  public static <T> Future<T> unavailableAsTierDown(Future<T> operation) {
    return operation.recover(
        failure ->
            Future.failedFuture(
                isUnavailable(failure) && !(failure instanceof TierUnavailableException)
                    ? new TierUnavailableException("cold tier (Postgres) is unavailable", failure)
                    : failure));
  }

  /**
   * The as-of index refused a second record with the same key, event time and ingested_at (or the
   * events' index a second event with the same position too). Each is its table's only unique
   * index, and each month's partition reports its own part of it.
   */
  static boolean isIngestedAtTaken(Throwable failure) {
    return failure instanceof PgException
        && "23505".equals(((PgException) failure).getSqlState())
        && (String.valueOf(((PgException) failure).getTable()).startsWith("feature_history")
            || String.valueOf(((PgException) failure).getTable()).startsWith("event_history"));
  }

  /** A row's month had no partition: another instance dropped it since this one looked. */
  static boolean isNoPartition(Throwable failure) {
    return failure instanceof PgException
        && "23514".equals(((PgException) failure).getSqlState())
        && String.valueOf(((PgException) failure).getErrorMessage()).startsWith("no partition");
  }

  static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException
          || t instanceof ClosedConnectionException
          || t instanceof TimeoutException
          || t instanceof ConnectionPoolTooBusyException
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
      if (t instanceof VertxException && saysConnectionGone(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  private static boolean saysConnectionGone(String message) {
    if (message == null) {
      return false;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    return CONNECTION_GONE.stream().anyMatch(lower::contains);
  }
}
