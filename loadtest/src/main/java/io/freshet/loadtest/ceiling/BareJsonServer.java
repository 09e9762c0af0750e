package io.freshet.loadtest.ceiling;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The upper bound for any Vert.x HTTP service on this machine: reads the request body, then answers
 * every POST with a fixed JSON body shaped and sized like Freshet's online response for one entity
 * and ten features ({@code online-1x10.json}).
 *
 * <p>{@code java -cp freshet-ceilings.jar io.freshet.loadtest.ceiling.BareJsonServer --port=18081}
 * (or {@code CEILING_PORT}); {@code --host}, {@code --instances} likewise.
 */
public final class BareJsonServer extends VerticleBase {

  private static final Buffer BODY = loadBody();

  private final String host;
  private final int port;

  BareJsonServer(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        .requestHandler(this::handle)
        .listen();
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            ignored -> request.response().putHeader("content-type", "application/json").end(BODY));
  }

  private static Buffer loadBody() {
    try (InputStream in = BareJsonServer.class.getResourceAsStream("/online-1x10.json")) {
      if (in == null) {
        throw new IllegalStateException("online-1x10.json is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) {
    String host = Ceilings.setting(args, "host", "CEILING_HOST", "127.0.0.1");
    int port = Integer.parseInt(Ceilings.setting(args, "port", "CEILING_PORT", "18081"));
    int instances = Ceilings.instances(args);
    Ceilings.deploy(
        Ceilings.vertx(instances),
        "bare-json",
        host,
        port,
        instances,
        () -> new BareJsonServer(host, port));
  }
}
