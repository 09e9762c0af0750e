package io.freshet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.CoreDsl;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpDsl;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** The HTTP protocol and the two kinds of request: reads (read token) and ingest (write token). */
final class FreshetHttp {

  private FreshetHttp() {}

  /**
   * Connections are shared by all virtual users: with the open model every request is a new user,
   * and a connection per user would measure TCP handshakes instead of Freshet.
   */
  static HttpProtocolBuilder protocol() {
    return http.baseUrl(Settings.baseUrl())
        .warmUp(Settings.baseUrl() + "/health")
        .shareConnections()
        .contentTypeHeader("application/json")
        .acceptHeader("application/json");
  }

  static HttpRequestActionBuilder read(String name, String path, Function<Session, String> body) {
    return authorized(http(name).post(path).body(StringBody(body)), Settings.readToken());
  }

  static HttpRequestActionBuilder write(String name, String path, Function<Session, String> body) {
    return authorized(http(name).post(path).body(StringBody(body)), Settings.writeToken());
  }

  /**
   * The single-entity read of the hot and warm/cold simulations: one key from {@code keys}, the
   * ten churn features with full meta, every value present.
   */
  static ScenarioBuilder singleReads(String scenario, String request, LongSupplier keys) {
    return CoreDsl.scenario(scenario)
        .exec(
            read(
                    request,
                    "/v1/features/online",
                    session -> Bodies.online(Bodies.CHURN_10, keys, 1, "full"))
                .check(HttpDsl.status().is(200), CoreDsl.substring("MISSING").notExists()));
  }

  private static HttpRequestActionBuilder authorized(
      HttpRequestActionBuilder request, String token) {
    return token.isEmpty() ? request : request.header("Authorization", "Bearer " + token);
  }
}
