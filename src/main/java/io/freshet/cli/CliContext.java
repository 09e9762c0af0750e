package io.freshet.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * What every command runs with: the environment it reads its settings from, where it writes,
 * whether that is a terminal (progress bars) or not (plain lines), and how to start the server.
 */
public record CliContext(
    Map<String, String> env, PrintStream out, PrintStream err, boolean terminal, Runnable serve) {

  public CliContext {
    env = Map.copyOf(env);
  }

  /** The running JVM's: its environment, standard output and error, its console. */
  public static CliContext system(Runnable serve) {
    return new CliContext(System.getenv(), System.out, System.err, System.console() != null, serve);
  }

  String env(String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
