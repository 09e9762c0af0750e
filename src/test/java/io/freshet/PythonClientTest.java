package io.freshet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.freshet.testing.FreshetFixture;
import io.freshet.testing.MainProcess;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client's own tests (src/test/python) and the scikit-learn example, run by Debian's
 * python3 against a real Freshet started here (the jar's Main, the example schemas, tokens on, a
 * small online entity limit): once with pandas hidden, once with it, as training jobs meet them.
 * Python's output is the failure message. Without python3-pandas or python3-sklearn the runs that
 * need them are skipped, saying which package to install (.ci/run installs both).
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PythonClientTest {

  private static final String PYTHON =
      System.getenv().getOrDefault("FRESHET_TEST_PYTHON", "/usr/bin/python3");
  private static final Path CLIENT = Path.of("src/main/python");
  private static final Path TESTS = Path.of("src/test/python");
  private static final Duration RUN_LIMIT = Duration.ofMinutes(10);

  private static boolean python;
  private static boolean pandas;
  private static boolean sklearn;
  private static MainProcess server;
  private static String schema;
  private static Map<String, String> clientEnv;

  /** A finished Python run. */
  private record Run(int exit, String output) {}

  @BeforeAll
  static void start() throws Exception {
    python = run(List.of(PYTHON, "-c", "import sys"), Map.of()).exit() == 0;
    if (!python) {
      return;
    }
    pandas = run(List.of(PYTHON, "-c", "import pandas"), Map.of()).exit() == 0;
    sklearn = run(List.of(PYTHON, "-c", "import sklearn"), Map.of()).exit() == 0;
    schema = "test_python_" + Long.toHexString(System.nanoTime());
    int port = FreshetFixture.freePort();
    server =
        MainProcess.start(
            Map.of(
                "FRESHET_SCHEMAS_DIR", "schemas",
                "FRESHET_HTTP_PORT", Integer.toString(port),
                "FRESHET_PG_SCHEMA", schema,
                "FRESHET_REDIS_KEY_PREFIX", schema + ":",
                "FRESHET_READ_TOKEN", "python-read",
                "FRESHET_WRITE_TOKEN", "python-write",
                "FRESHET_MAX_ONLINE_ENTITIES", "50"));
    assertTrue(server.awaitOutput("freshet listening on", Duration.ofSeconds(90)), server.output());
    clientEnv =
        Map.of(
            "FRESHET_URL", "http://127.0.0.1:" + port,
            "FRESHET_READ_TOKEN", "python-read",
            "FRESHET_WRITE_TOKEN", "python-write");
  }

  @AfterAll
  static void stop(Vertx vertx) {
    if (server == null) {
      return;
    }
    server.close();
    // The schema and keys the server used, taken over and dropped.
    FreshetFixture.start(
            vertx,
            o -> o.schemasDir(Path.of("schemas")).pgSchema(schema).redisKeyPrefix(schema + ":"))
        .close();
  }

  private static Run run(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new Run(-1, e.getMessage());
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Run(-1, output + "\n(killed after " + RUN_LIMIT + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(-1, output);
    }
    return new Run(process.exitValue(), output);
  }

  /** The client's tests, with the client from the source tree. */
  private static Run unittest(String extraPath) throws IOException {
    Map<String, String> env = new HashMap<>(clientEnv);
    String path = CLIENT.toAbsolutePath() + ":" + TESTS.toAbsolutePath();
    env.put("PYTHONPATH", extraPath == null ? path : extraPath + ":" + path);
    return run(List.of(PYTHON, "-m", "unittest", "discover", "-v", "-s", TESTS.toString()), env);
  }

  @Test
  @Order(1)
  void pythonClient_withoutPandas_everyTestButTheDataFramesPasses(@TempDir Path hide)
      throws IOException {
    assumeTrue(python, PYTHON + " is not installed: the Python client's tests are skipped");
    // Python runs sitecustomize first thing: this one makes pandas and scikit-learn unimportable.
    Files.writeString(
        hide.resolve("sitecustomize.py"),
        "import sys\n\n\nclass Hidden:\n"
            + "    def find_spec(self, name, path=None, target=None):\n"
            + "        if name.split('.')[0] in ('pandas', 'sklearn'):\n"
            + "            raise ModuleNotFoundError('No module named %r (hidden)' % name, name=name)\n"
            + "        return None\n\n\nsys.meta_path.insert(0, Hidden())\n");
    Run run = unittest(hide.toAbsolutePath().toString());
    assertEquals(0, run.exit(), run.output());
    assertTrue(
        run.output().contains("skipped 'pandas is not installed: the DataFrame tests are skipped'"),
        run.output());
    assertTrue(
        run.output().contains("test_toPandas_saysPandasIsNeeded")
            && !run.output()
                .contains(
                    "test_toPandas_saysPandasIsNeeded (test_client.WithoutPandas.test_toPandas_saysPandasIsNeeded) ... skipped"),
        run.output());
  }

  @Test
  @Order(2)
  void pythonClient_withPandas_theDataFrameTestsPassToo() throws IOException {
    assumeTrue(python, PYTHON + " is not installed: the Python client's tests are skipped");
    assumeTrue(pandas, "python3-pandas is not installed: the DataFrame tests are skipped");
    Run run = unittest(null);
    assertEquals(0, run.exit(), run.output());
    assertFalse(run.output().contains("pandas is not installed"), run.output());
    assertTrue(
        run.output().contains("test_toPandas_dtypesFromTheManifest_labelsPassThrough"),
        run.output());
    if (sklearn) {
      assertTrue(
          run.output()
              .contains(
                  "test_aPipelineFitsOnTheFrameAsReturned (test_pandas.ScikitLearn.test_aPipelineFitsOnTheFrameAsReturned) ... ok"),
          run.output());
    }
  }

  @Test
  @Order(3)
  void sklearnExample_trainsOnASnapshot_servesIdenticalPredictions() throws IOException {
    assumeTrue(python, PYTHON + " is not installed: the example is skipped");
    assumeTrue(
        pandas && sklearn, "python3-pandas and python3-sklearn are needed: the example is skipped");
    Map<String, String> env = new HashMap<>(clientEnv);
    env.put("PYTHONPATH", CLIENT.toAbsolutePath().toString());
    Run run = run(List.of(PYTHON, CLIENT.resolve("examples/churn_model.py").toString()), env);
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("predictions identical"), run.output());
  }

  @Test
  @Order(4)
  void pipInstall_fromTheSourceTree_withNoPackageIndex(@TempDir Path dir) throws IOException {
    assumeTrue(python, PYTHON + " is not installed");
    assumeTrue(
        run(List.of(PYTHON, "-c", "import ensurepip, venv"), Map.of()).exit() == 0,
        "python3-venv is not installed: pip install is not tried");
    Path venv = dir.resolve("venv");
    Run created = run(List.of(PYTHON, "-m", "venv", venv.toString()), Map.of());
    assertEquals(0, created.exit(), created.output());
    Run installed =
        run(
            List.of(
                venv.resolve("bin/pip").toString(),
                "install",
                "--no-index",
                CLIENT.toAbsolutePath().toString()),
            Map.of());
    assertEquals(0, installed.exit(), installed.output());
    Run imported =
        run(
            List.of(
                venv.resolve("bin/python").toString(),
                "-c",
                "import freshet; print(freshet.__file__, freshet.__version__)"),
            Map.of("PYTHONPATH", ""));
    assertEquals(0, imported.exit(), imported.output());
    assertTrue(imported.output().startsWith(venv.toString()), imported.output());
  }
}
