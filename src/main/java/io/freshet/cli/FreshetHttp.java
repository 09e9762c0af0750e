package io.freshet.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A Freshet server as the command line talks to it: blocking calls (a command does one thing at a
 * time), the right token on each route, and the API's errors turned into messages.
 */
final class FreshetHttp {

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String base;
  private final String readToken;
  private final String writeToken;

  FreshetHttp(String base, String readToken, String writeToken) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.readToken = readToken;
    this.writeToken = writeToken;
  }

  String base() {
    return base;
  }

  /** A GET of a JSON answer; any status but 200 fails with the API's message. */
  JsonObject getJson(String path) {
    HttpResponse<byte[]> r = send(request(path, false).GET().build());
    return json(path, r);
  }

  /** A POST of a JSON body with the write token; any status but 200 fails. */
  JsonObject postJson(String path, JsonObject body, boolean write) {
    HttpResponse<byte[]> r =
        send(
            request(path, write)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toBuffer().getBytes()))
                .build());
    return json(path, r);
  }

  /** A PUT of a JSON body with the write token; any status but 200 fails. */
  JsonObject putJson(String path, JsonObject body) {
    HttpResponse<byte[]> r =
        send(
            request(path, true)
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toBuffer().getBytes()))
                .build());
    return json(path, r);
  }

  /** A POST whose answer is read as it arrives; the caller checks the status. */
  HttpResponse<InputStream> stream(
      String path, String contentType, HttpRequest.BodyPublisher body, boolean write) {
    try {
      return client.send(
          request(path, write).header("content-type", contentType).POST(body).build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    }
  }

  /** A POST of bytes with extra headers; the raw answer, for callers that retry. */
  HttpResponse<byte[]> post(
      String path, String contentType, byte[] body, Map<String, String> headers, boolean write)
      throws IOException {
    HttpRequest.Builder builder =
        request(path, write)
            .header("content-type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(builder::header);
    try {
      return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    }
  }

  private HttpRequest.Builder request(String path, boolean write) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
    String token = write ? writeToken : readToken;
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    }
  }

  CliException unreachable(IOException e) {
    if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
      return CliException.unreachable("cannot reach " + base + ": " + describe(e));
    }
    return CliException.failed("the connection to " + base + " failed: " + describe(e));
  }

  private static String describe(IOException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static JsonObject json(String path, HttpResponse<byte[]> r) {
    if (r.statusCode() != 200) {
      throw refused(path, r.statusCode(), r.body());
    }
    try {
      return new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw CliException.failed(path + " answered something that is not JSON");
    }
  }

  /** The API's error, {@code {"error", "message", "details"}}, as one line. */
  static CliException refused(String path, int status, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      JsonObject error = new JsonObject(text);
      String message = status + " " + error.getString("error") + ": " + error.getString("message");
      if (error.getJsonArray("details") != null && !error.getJsonArray("details").isEmpty()) {
        message += "\n  details: " + error.getJsonArray("details").encode();
      }
      return CliException.failed(message);
    } catch (DecodeException | ClassCastException e) {
      return CliException.failed(path + " answered " + status + ": " + text);
    }
  }
}
