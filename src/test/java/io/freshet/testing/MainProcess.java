package io.freshet.testing;

import io.freshet.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Main in a JVM of its own, on this test run's classpath, with everything it prints captured. */
public final class MainProcess implements AutoCloseable {

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final Thread drain;

  private MainProcess(Process process) {
    this.process = process;
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.drain = new Thread(() -> lines.lines().forEach(l -> output.append(l).append('\n')));
    drain.start();
  }

  /**
   * The command that runs Main with {@code env} and {@code args} over the tests' Redis database
   * (unless {@code env} names another), its standard error merged into its output.
   */
  public static ProcessBuilder command(Map<String, String> env, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("FRESHET_REDIS_URL", FreshetFixture.TEST_REDIS_URL);
    builder.environment().putAll(env);
    return builder;
  }

  public static MainProcess start(Map<String, String> env, String... args) {
    try {
      return new MainProcess(command(env, args).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything standard output and standard error said so far. */
  public String output() {
    return output.toString();
  }

  /** Whether the output says {@code text} within the time, polled. */
  public boolean awaitOutput(String text, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!output().contains(text) && process.isAlive() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    return output().contains(text);
  }

  /** The exit code, once the process has exited and its output is all read; -1 if it did not. */
  public int awaitExit(Duration within) {
    try {
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        return -1;
      }
      drain.join(TimeUnit.SECONDS.toMillis(10));
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** SIGKILL: no shutdown hook runs and nothing in flight is finished. */
  public void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /** SIGTERM, then SIGKILL if it has not exited within 30 s. */
  @Override
  public void close() {
    process.destroy();
    if (awaitExit(Duration.ofSeconds(30)) == -1) {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(10));
    }
  }
}
