package io.freshet.loadtest.ceiling;

import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.function.Supplier;

/**
 * What every ceiling server shares with Freshet's own start-up: one event loop and one verticle
 * instance per core, so that a ratio to a ceiling compares request handling and nothing else.
 */
final class Ceilings {

  private Ceilings() {}

  /** {@code --name=value} from the arguments, else the environment variable, else the default. */
  static String setting(String[] args, String name, String env, String fallback) {
    String prefix = "--" + name + "=";
    for (String arg : args) {
      if (arg.startsWith(prefix)) {
        return arg.substring(prefix.length());
      }
    }
    return System.getenv().getOrDefault(env, fallback);
  }

  static int instances(String[] args) {
    return Integer.parseInt(
        setting(
            args,
            "instances",
            "CEILING_INSTANCES",
            String.valueOf(Runtime.getRuntime().availableProcessors())));
  }

  static Vertx vertx(int instances) {
    return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances));
  }

  /** Deploys the instances, prints the ready line, or exits non-zero with the reason. */
  static void deploy(
      Vertx vertx,
      String name,
      String host,
      int port,
      int instances,
      Supplier<? extends Deployable> server) {
    vertx
        .deployVerticle(server, new DeploymentOptions().setInstances(instances))
        .onSuccess(
            id ->
                System.out.printf(
                    "ceiling %s listening on http://%s:%d (%d instances)%n",
                    name, host, port, instances))
        .onFailure(e -> fail(vertx, name + " cannot start: " + e.getMessage()));
  }

  static void fail(Vertx vertx, String message) {
    System.err.println(message);
    vertx.close();
    System.exit(1);
  }
}
