package io.freshet.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** A blocking HTTP client for tests: each call returns once the whole response is read. */
public final class Api {

  private final HttpClient client;
  private final int port;

  public Api(Vertx vertx, int port) {
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions(), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(16));
    this.port = port;
  }

  /**
   * A response: its status, content type, body, and snapshot id and Retry-After headers (null when
   * absent).
   */
  public record Response(
      int status, String contentType, Buffer body, String snapshotId, String retryAfter) {

    public JsonObject json() {
      return body.toJsonObject();
    }

    public String error() {
      return json().getString("error");
    }

    public JsonArray details() {
      return json().getJsonArray("details");
    }
  }

  public Response get(String path) {
    return send(HttpMethod.GET, path, null, null, Map.of());
  }

  public Response post(String path, JsonObject body) {
    return send(HttpMethod.POST, path, "application/json", body.toBuffer(), Map.of());
  }

  public Response post(String path, String contentType, String body) {
    return send(HttpMethod.POST, path, contentType, Buffer.buffer(body), Map.of());
  }

  public Response send(
      HttpMethod method,
      String path,
      String contentType,
      Buffer body,
      Map<String, String> headers) {
    RequestOptions options =
        new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
    if (contentType != null) {
      options.putHeader("content-type", contentType);
    }
    headers.forEach(options::putHeader);
    return client
        .request(options)
        .compose(
            req ->
                // The body is asked for in send()'s own callback: a response read one composition
                // later can already have ended, and its body would never arrive.
                (body == null ? req.send() : req.send(body))
                    .compose(
                        resp ->
                            resp.body()
                                .map(
                                    b ->
                                        new Response(
                                            resp.statusCode(),
                                            resp.getHeader("content-type"),
                                            b,
                                            resp.getHeader("X-Snapshot-Id"),
                                            resp.getHeader("Retry-After")))))
        .await();
  }

  public void close() {
    client.close().await();
  }
}
