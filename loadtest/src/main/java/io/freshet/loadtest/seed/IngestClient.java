package io.freshet.loadtest.seed;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code POST /v1/ingest/{view}} with an {@code Idempotency-Key}, retried on a dropped connection
 * or a 503: Freshet answers a retry of a batch it already wrote with its first answer, so a retry
 * can never write a batch twice.
 */
final class IngestClient {

  private static final int ATTEMPTS = 5;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String baseUrl;
  private final String writeToken;
  private final String readToken;

  IngestClient(String baseUrl, String writeToken, String readToken) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.writeToken = writeToken;
    this.readToken = readToken;
  }

  String registry() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            authorized(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/registry")), readToken)
                .timeout(TIMEOUT)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET /v1/registry answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** Sends one batch until it is acknowledged; a refusal other than 503 fails the seed. */
  void ingest(String view, String idempotencyKey, String body, int rows)
      throws IOException, InterruptedException {
    HttpRequest request =
        authorized(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/ingest/" + view)), writeToken)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    for (int attempt = 1; ; attempt++) {
      String failure;
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        failure = "HTTP " + response.statusCode() + ": " + abbreviated(response.body());
        if (response.statusCode() == 200 && response.body().contains("\"accepted\":" + rows)) {
          return;
        }
        if (response.statusCode() != 503) {
          throw new IllegalStateException("ingest into " + view + " answered " + failure);
        }
      } catch (IOException e) {
        failure = e.toString();
      }
      if (attempt == ATTEMPTS) {
        throw new IOException(
            "ingest into " + view + " failed " + ATTEMPTS + " times, last: " + failure);
      }
      System.err.printf("seed: retrying %s (%s)%n", idempotencyKey, failure);
      Thread.sleep(500L * attempt);
    }
  }

  private static HttpRequest.Builder authorized(HttpRequest.Builder builder, String token) {
    return token.isEmpty() ? builder : builder.header("Authorization", "Bearer " + token);
  }

  private static String abbreviated(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }
}
