package io.freshet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Postgres cluster of the test's own, made with Debian's {@code pg_createcluster} on a spare port
 * with trust authentication, so a test can SIGKILL its postmaster and start it again. Dropped on
 * close, and on JVM exit if the test never got that far.
 */
public final class PgCluster implements AutoCloseable {

  private static final String VERSION = "15";
  private static final Path CREATE = Path.of("/usr/bin/pg_createcluster");
  private static final Duration START_WITHIN = Duration.ofSeconds(30);

  private final String name;
  private final int port;
  private final Path dataDir;
  private final Thread dropOnExit;

  /** A cluster that trusts every local connection. */
  public PgCluster() {
    this(null);
  }

  /**
   * With a password: TCP connections must give it (SCRAM), and the superuser {@code postgres} has
   * it.
   */
  public PgCluster(String password) {
    this.name =
        "freshet_test_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    this.port = FreshetFixture.freePort();
    this.dataDir = Path.of("/var/lib/postgresql", VERSION, name);
    this.dropOnExit = new Thread(this::drop, "drop-" + name);
    Runtime.getRuntime().addShutdownHook(dropOnExit);
    List<String> command =
        new ArrayList<>(
            List.of("pg_createcluster", VERSION, name, "-p", Integer.toString(port), "--"));
    // --no-sync: the cluster lives for one test; its crash safety is what the test exercises,
    // not the durability of initdb's own files.
    command.add("--no-sync");
    if (password == null) {
      command.add("--auth=trust");
      run(command);
    } else {
      Path pwfile = passwordFile(password);
      try {
        command.addAll(
            List.of("--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile));
        run(command);
      } finally {
        pwfile.toFile().delete();
      }
    }
    start();
  }

  /** initdb runs as postgres and must read the file. */
  private static Path passwordFile(String password) {
    try {
      Path file = Files.createTempFile("freshet-pg-", ".pw");
      Files.writeString(file, password + "\n");
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Whether this machine can make clusters at all (Debian's postgresql-common). */
  public static boolean available() {
    return Files.isExecutable(CREATE);
  }

  public int port() {
    return port;
  }

  public String url() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  /**
   * Starts the cluster, retrying while a killed postmaster is not yet reaped (its pid still holds
   * the lock file) or its orphaned backends still hold the shared memory.
   */
  public void start() {
    long deadline = System.nanoTime() + START_WITHIN.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      Result result = exec("pg_ctlcluster", VERSION, name, "start");
      if (result.code == 0) {
        return;
      }
      last = result.output;
      pause();
    }
    throw new IllegalStateException("cluster " + name + " did not start: " + last);
  }

  /**
   * SIGKILL to the postmaster alone: its backends finish the statement in hand, answer it, and exit
   * at their next wait, so no commit is cut off between Postgres and its client.
   */
  public void killPostmaster() {
    ProcessHandle.of(postmasterPid()).ifPresent(ProcessHandle::destroyForcibly);
  }

  private long postmasterPid() {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
      return Long.parseLong(lines.get(0).trim());
    } catch (IOException e) {
      throw new IllegalStateException("cluster " + name + " is not running", e);
    }
  }

  @Override
  public void close() {
    drop();
    Runtime.getRuntime().removeShutdownHook(dropOnExit);
  }

  private void drop() {
    exec("pg_dropcluster", "--stop", VERSION, name);
  }

  private record Result(int code, String output) {}

  private static void run(List<String> command) {
    Result result = exec(command.toArray(new String[0]));
    if (result.code != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + result.output);
    }
  }

  private static Result exec(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " timed out");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /** A short wait between attempts that is not a fixed sleep standing in for a condition. */
  private static void pause() {
    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
  }
}
