package io.freshet.testing;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A dedicated redis-server on a spare port, so tests can kill, pause and restart it. */
public final class RedisProcess implements AutoCloseable {

  private final int port;
  private final List<String> extraArgs;
  private Process process;

  /** {@code extraArgs} are more redis-server options, such as {@code --requirepass secret}. */
  public RedisProcess(String... extraArgs) {
    this.port = FreshetFixture.freePort();
    this.extraArgs = List.of(extraArgs);
    start();
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  public void start() {
    try {
      List<String> command =
          new ArrayList<>(
              List.of(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no"));
      command.addAll(extraArgs);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  new File(
                      System.getProperty("java.io.tmpdir"), "freshet-test-redis-" + port + ".log"))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("redis-server must be on the PATH", e);
    }
    awaitListening();
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the server and everything it held are gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGSTOP: the server keeps its data but answers nothing until {@link #resume()}. */
  public void pause() {
    signal("-STOP");
  }

  public void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    try {
      new ProcessBuilder("kill", signal, Long.toString(process.pid())).start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    resume();
    kill();
  }

  /**
   * Ends a test that may have left this server paused: resumes it first, so that what used it (null
   * where a test never started it) can close without waiting on it, then closes them and, whatever
   * they throw, this server.
   */
  public void closeAfter(AutoCloseable... users) throws Exception {
    resume();
    try {
      for (AutoCloseable user : users) {
        if (user != null) {
          user.close();
        }
      }
    } finally {
      close();
    }
  }
}
