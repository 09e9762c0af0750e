package io.freshet.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.function.Function;

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

  private static HttpRequestActionBuilder authorized(
      HttpRequestActionBuilder request, String token) {
    return token.isEmpty() ? request : request.header("Authorization", "Bearer " + token);
  }
}
