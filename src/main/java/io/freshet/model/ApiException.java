package io.freshet.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The one exception type that carries an API error code. Thrown anywhere on a request's path and
 * turned into {@code {"error", "message", "details"}} by the failure handler. Expected client
 * errors skip the stack trace, which is never shown to a client anyway.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final JsonArray details;

  /** Messages quote the request (a name, a key), which can be megabytes; the quote is cut. */
  private static final int MAX_MESSAGE = 1_000;

  public ApiException(int status, String code, String message, JsonArray details) {
    super(
        message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...",
        null,
        false,
        false);
    this.status = status;
    this.code = code;
    this.details = details == null ? new JsonArray() : details;
  }

  /**
   * The API error a failure is answered with, when the failure is one the API names: itself, or a
   * tier that cannot answer (503 {@code unavailable}, its message saying which). Empty for anything
   * else, which is a bug.
   */
  public static Optional<ApiException> of(Throwable failure) {
    if (failure instanceof ApiException) {
      return Optional.of((ApiException) failure);
    }
    if (failure instanceof TierUnavailableException) {
      return Optional.of(unavailable(failure.getMessage()));
    }
    return Optional.empty();
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message, null);
  }

  public static ApiException validationFailed(String message, JsonArray details) {
    return new ApiException(400, "validation_failed", message, details);
  }

  public static ApiException unauthorized() {
    return new ApiException(401, "unauthorized", "missing or invalid bearer token", null);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message, null);
  }

  public static ApiException freshnessViolated(String message, JsonArray details) {
    return new ApiException(409, "freshness_violated", message, details);
  }

  public static ApiException notFitted(String message, JsonArray details) {
    return new ApiException(409, "not_fitted", message, details);
  }

  public static ApiException tooLarge(String message) {
    return new ApiException(413, "too_large", message, null);
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, "unavailable", message, null);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public JsonObject toJson() {
    return new JsonObject().put("error", code).put("message", getMessage()).put("details", details);
  }
}
