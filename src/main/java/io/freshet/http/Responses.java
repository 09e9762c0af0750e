package io.freshet.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** How a route handler answers: JSON on success, and every failure to the one failure handler. */
public final class Responses {

  public static final String JSON = "application/json";

  private Responses() {}

  /**
   * Runs a handler's work so that an exception thrown while parsing and a failed future both reach
   * {@link FailureHandler}, and a body reaches the client as JSON.
   */
  public static void json(RoutingContext ctx, Supplier<Future<Buffer>> work) {
    Future<Buffer> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    result.onComplete(
        (body, failure) -> {
          if (failure != null) {
            ctx.fail(failure);
          } else {
            ctx.response().putHeader("content-type", JSON).end(body);
          }
        });
  }
}
