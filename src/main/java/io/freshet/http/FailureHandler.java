package io.freshet.http;

import io.freshet.model.ApiException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The one place an error becomes a response: {@code {"error", "message", "details"}} with the API's
 * status. Unexpected failures are logged here with their stack trace and answered without it.
 */
public final class FailureHandler {

  private static final System.Logger LOG = System.getLogger(FailureHandler.class.getName());

  private FailureHandler() {}

  public static void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    ApiException error = toApiError(ctx.failure(), ctx.statusCode());
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(error.status()).putHeader("content-type", "application/json");
    if (unreadBody(ctx)) {
      // The body was refused before it was all read: the rest of it is still on the wire, so
      // the connection cannot carry another request.
      response.putHeader("connection", "close");
      response
          .end(error.toJson().toBuffer())
          .onComplete(done -> ctx.request().connection().close());
      return;
    }
    response.end(error.toJson().toBuffer());
  }

  /** The router refused the request line itself (say, a broken percent-escape in the path). */
  public static void malformedRequest(RoutingContext ctx) {
    if (!ctx.response().ended() && !ctx.response().headWritten()) {
      ctx.response()
          .setStatusCode(400)
          .putHeader("content-type", "application/json")
          .end(ApiException.badRequest("malformed request path or query").toJson().toBuffer());
    }
  }

  /**
   * A request the HTTP decoder itself refused (a request line or headers past Netty's limits, a
   * line that is not HTTP) never reaches the router; it gets the API's JSON error instead of the
   * server's empty one, and the server then closes the connection.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    String message;
    if (cause instanceof TooLongHttpLineException) {
      message = "the request line is longer than this server accepts";
    } else if (cause instanceof TooLongHttpHeaderException) {
      message = "the request headers are larger than this server accepts";
    } else {
      message = "malformed HTTP request";
    }
    request
        .response()
        .setStatusCode(400)
        .putHeader("content-type", "application/json")
        .putHeader("connection", "close")
        .end(ApiException.badRequest(message).toJson().toBuffer());
  }

  private static boolean unreadBody(RoutingContext ctx) {
    if (ctx.request().isEnded()) {
      return false;
    }
    String length = ctx.request().getHeader("content-length");
    return (length != null && !length.equals("0"))
        || "chunked".equalsIgnoreCase(ctx.request().getHeader("transfer-encoding"));
  }

  private static ApiException toApiError(Throwable failure, int status) {
    Optional<ApiException> known = ApiException.of(failure);
    if (known.isPresent()) {
      return known.get();
    }
    switch (status) {
      case 400:
        return ApiException.badRequest("malformed request");
      case 404:
        return ApiException.notFound("not found");
      case 503:
        return ApiException.unavailable("the request did not complete within its deadline");
      case 413:
        return ApiException.tooLarge("the request body is larger than the configured limit");
      default:
        LOG.log(System.Logger.Level.ERROR, "request failed", failure);
        return new ApiException(500, "internal", "internal error", null);
    }
  }
}
