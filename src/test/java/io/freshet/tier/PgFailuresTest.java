package io.freshet.tier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/**
 * The failures the SQL client (5.0) reports for a Postgres that is going or gone, worded as it
 * words them, are the cold tier being unavailable (a 503, "nothing was written"); a statement the
 * server refuses is not. The first case is the one a postmaster SIGKILL under load produced in CI:
 * the pool handed out a connection the server had just dropped.
 */
class PgFailuresTest {

  @Test
  void connectionStateFailuresOfTheClient_areUnavailable() {
    assertTrue(
        unavailable(
            VertxException.noStackTrace("Connection is not active now, current status: CLOSED")));
    assertTrue(
        unavailable(
            VertxException.noStackTrace("Connection is not active now, current status: CLOSING")));
    assertTrue(
        unavailable(
            new VertxException(
                "Pending requests failed to be sent due to connection has been closed.", true)));
    assertTrue(unavailable(new VertxException("Timeout waiting for connection", true)));
    assertTrue(unavailable(ClosedConnectionException.INSTANCE));
    assertTrue(
        unavailable(
            new ConnectionPoolTooBusyException(
                "Connection pool reached max wait queue size of 4096")));
    assertTrue(
        unavailable(
            new VertxException(
                "io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused",
                new ConnectException("Connection refused"))));
  }

  @Test
  void serverStatesOfShutdownRecoveryAndExhaustion_areUnavailable() {
    assertTrue(
        unavailable(pg("57P01", "terminating connection due to unexpected postmaster exit")));
    assertTrue(unavailable(pg("57P03", "the database system is in recovery mode")));
    assertTrue(unavailable(pg("08006", "connection failure")));
    assertTrue(unavailable(pg("53300", "sorry, too many clients already")));
    assertTrue(
        unavailable(new RuntimeException("wrapped", pg("57P02", "crash of another process"))));
  }

  @Test
  void refusedStatementsAndBugs_areNot() {
    assertFalse(unavailable(pg("23505", "duplicate key value violates unique constraint")));
    assertFalse(unavailable(pg("42P01", "relation \"feature_history\" does not exist")));
    assertFalse(unavailable(pg("22P02", "invalid input syntax for type json")));
    assertFalse(unavailable(new VertxException("Scram authentication not supported", true)));
    assertFalse(unavailable(new IllegalArgumentException("bad parameter")));
    assertFalse(unavailable(new VertxException((String) null, true)));
  }

  private static boolean unavailable(Throwable failure) {
    return PgFailures.isUnavailable(failure);
  }

  private static PgException pg(String sqlState, String message) {
    return new PgException(message, "ERROR", sqlState, null);
  }
}
