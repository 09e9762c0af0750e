package io.freshet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alert rules check and pass their unit tests ({@code tiers/prometheus/
 * alerts_test.yml}) with {@code promtool}, which CI installs (Debian's {@code prometheus}); where
 * it is absent the test is skipped.
 */
class AlertRulesTest {

  private static boolean promtoolPresent() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, "promtool").canExecute()) {
        return true;
      }
    }
    return false;
  }

  private static void promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("promtool did not finish in 60 s");
    }
    assertEquals(0, process.exitValue(), output);
  }

  @Test
  void alertRules_checkAndPassTheirUnitTests() throws Exception {
    assumeTrue(promtoolPresent(), "promtool is not installed");
    promtool("check", "rules", "tiers/prometheus/alerts.yml");
    promtool("test", "rules", "tiers/prometheus/alerts_test.yml");
  }
}
