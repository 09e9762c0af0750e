package io.freshet.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
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
   * while this one fails to bind it and exits. Its output is read line by line into its log file
   * for as long as it runs, so its own ready line (or its exit) is seen as it comes.
   */
  private void awaitListening() {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Process started = process;
    Thread copier = new Thread(() -> copyLog(started, ready), "redis-log-" + port);
    copier.setDaemon(true);
    copier.start();
    try {
      ready.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (RuntimeException) e.getCause();
    } catch (TimeoutException e) {
      throw new IllegalStateException("redis-server did not listen on " + port);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void copyLog(Process started, CompletableFuture<Void> ready) {
    StringBuilder seen = new StringBuilder();
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8));
        Writer log = Files.newBufferedWriter(log().toPath(), StandardCharsets.UTF_8)) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        log.write(line + "\n");
        log.flush();
        if (!ready.isDone()) {
          seen.append(line).append('\n');
          if (line.contains("Ready to accept connections")) {
            ready.complete(null);
          }
        }
      }
    } catch (IOException e) {
      ready.completeExceptionally(new IllegalStateException("redis-server's output: " + e, e));
    }
    // The output ended: the server exited, before it was ready if the future is still open.
    ready.completeExceptionally(
        seen.indexOf("Address already in use") >= 0
            ? new PortTaken("port " + port + " was taken: " + seen)
            : new IllegalStateException("redis-server on " + port + " exited: " + seen));
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
