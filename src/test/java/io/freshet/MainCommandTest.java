package io.freshet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.testing.FreshetFixture;
import io.freshet.testing.MainProcess;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One jar, two uses: with no arguments (or {@code serve}) it starts the server as it always did;
 * with a command it runs that command and exits with its code. And the {@code freshet} wrapper
 * hands its arguments to the jar.
 */
@ExtendWith(VertxExtension.class)
class MainCommandTest {

  @Test
  void main_withACommand_runsItAndExitsWithItsCode() {
    try (MainProcess valid =
        MainProcess.start(Map.of(), "validate", FreshetFixture.TEST_SCHEMAS.toString())) {
      assertEquals(0, valid.awaitExit(Duration.ofSeconds(60)), valid.output());
      assertTrue(valid.output().contains("valid: 2 entities"), valid.output());
    }
    try (MainProcess missing = MainProcess.start(Map.of(), "validate", "no/such/dir")) {
      assertEquals(1, missing.awaitExit(Duration.ofSeconds(60)), missing.output());
    }
    try (MainProcess unknown = MainProcess.start(Map.of(), "launch")) {
      assertEquals(2, unknown.awaitExit(Duration.ofSeconds(60)), unknown.output());
    }
  }

  @Test
  void main_serve_startsTheServerAsWithNoArguments(Vertx vertx) {
    String schema = "test_serve_" + Long.toHexString(System.nanoTime());
    int port = FreshetFixture.freePort();
    Map<String, String> env =
        Map.of(
            "FRESHET_SCHEMAS_DIR",
            FreshetFixture.TEST_SCHEMAS.toString(),
            "FRESHET_HTTP_PORT",
            Integer.toString(port),
            "FRESHET_PG_SCHEMA",
            schema,
            "FRESHET_REDIS_KEY_PREFIX",
            schema + ":");
    try (MainProcess serve = MainProcess.start(env, "serve")) {
      assertTrue(
          serve.awaitOutput(
              "freshet listening on http://127.0.0.1:" + port, Duration.ofSeconds(60)),
          serve.output());
    }
    // The same schema and prefix, taken over and dropped by a fixture.
    FreshetFixture.start(vertx, o -> o.pgSchema(schema).redisKeyPrefix(schema + ":")).close();
  }

  @Test
  void wrapper_handsItsArgumentsToTheJar_refusesAMissingJar(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path java = dir.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"java $*\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    Path jar = Files.writeString(dir.resolve("freshet.jar"), "");
    Process run =
        wrapper(Map.of("JAVA", java.toString(), "FRESHET_JAR", jar.toString()), "plan", "x y");
    assertEquals("java -XX:+UseG1GC -jar " + jar + " plan x y\n", output(run));
    assertEquals(0, run.exitValue());
    Process own =
        wrapper(
            Map.of("JAVA", java.toString(), "FRESHET_JAR", jar.toString(), "FRESHET_JAVA_OPTS", ""),
            "validate");
    assertEquals("java -jar " + jar + " validate\n", output(own));
    Process missing = wrapper(Map.of("FRESHET_JAR", dir.resolve("none.jar").toString()));
    assertTrue(output(missing).contains("no jar at"));
    assertEquals(2, missing.exitValue());
  }

  private static Process wrapper(Map<String, String> env, String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = Path.of("src/main/sh/freshet").toAbsolutePath().toString();
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return builder.start();
  }

  private static String output(Process process) throws IOException, InterruptedException {
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    return text;
  }
}
