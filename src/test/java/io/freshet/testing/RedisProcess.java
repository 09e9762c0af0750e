package io.freshet.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A dedicated redis-server on a spare port, so tests can kill, pause and restart it. */
public final class RedisProcess implements AutoCloseable {

  private int port;
  private final List<String> extraArgs;
  private Process process;

  /** {@code extraArgs} are more redis-server options, such as {@code --requirepass secret}. */
  public RedisProcess(String... extraArgs) {
    this.extraArgs = List.of(extraArgs);
    for (int attempt = 1; ; attempt++) {
      port = FreshetFixture.freePort();
      try {
        start();
        return;
      } catch (PortTaken e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /**
   * On {@code port}, for a caller that picked it with other ports the server takes, and picks them
   * again on {@link PortTaken}.
   */
  public RedisProcess(int port, String... extraArgs) {
    this.port = port;
    this.extraArgs = List.of(extraArgs);
    start();
  }

  /**
   * A port free when it was picked was taken before the server bound it (by another server's
   * listener or a client's ephemeral port): picking another is the remedy.
   */
  static final class PortTaken extends IllegalStateException {
    PortTaken(String message) {
      super(message);
    }
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
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log()).start();
    } catch (IOException e) {
      throw new IllegalStateException("redis-server must be on the PATH", e);
    }
    awaitListening();
  }

  private File log() {
    return new File(System.getProperty("java.io.tmpdir"), "freshet-test-redis-" + port + ".log");
  }

  /**
   * Until this server says it is ready: a connection alone could reach another process on the port,
   * while this one fails to bind it and exits.
   */
  private void awaitListening() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String log = readLog();
      if (log.contains("Ready to accept connections")) {
        return;
      }
      if (!process.isAlive()) {
        if (log.contains("Address already in use")) {
          throw new PortTaken("port " + port + " was taken: " + log);
        }
        throw new IllegalStateException("redis-server on " + port + " exited: " + log);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port);
  }

  private String readLog() {
    try {
      return Files.readString(log().toPath());
    } catch (IOException notYet) {
      return "";
    }
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
