package io.freshet.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random mutations of the example schemas and hand-made adversarial YAML at the schema
 * loader: it either loads or refuses with {@link SchemaException} naming the file and a line, never
 * another exception, never a hang, and never expands an alias bomb.
 */
class SchemaFuzzTest {

  private static final long SEED = Long.getLong("freshet.fuzz.seed", 20261124L);
  private static final Duration PER_LOAD = Duration.ofSeconds(5);
  private static final List<Path> EXAMPLES =
      List.of(
          Path.of("schemas/churn.yaml"),
          Path.of("schemas/fraud.yaml"),
          Path.of("src/test/resources/schemas/test.yaml"));
  private static final List<String> SCALARS =
      List.of(
          "1e999999999",
          "-1e-999999999",
          "!!int abc",
          "!!int 0x1F",
          "!!float 1e99999",
          "!!bool maybe",
          "!!binary aGVsbG8=",
          "!!timestamp 2026-11-22",
          "!custom x",
          "0x1F",
          "0o17",
          "1_000",
          "99999999999999999999999999999",
          ".inf",
          "-.nan",
          "~",
          "null",
          "''",
          "\"\\u0000\"",
          "\"\\ud800\"",
          "[]",
          "{}",
          "[a, [b, [c]]]",
          "*nowhere",
          "&anchor value",
          "yes",
          "on",
          "-",
          "?",
          "|",
          ">-",
          "\"unterminated",
          "9223372036854775808",
          "-9223372036854775809",
          "99999999999999999999d",
          "0s",
          "1.5m",
          "double(x) / 0.0",
          "((((((((((1))))))))))",
          "a @ b",
          "spend_z@99999999999999999999",
          "spend_z@0",
          "customer_profile:age@2",
          "Ünïcödé",
          "x".repeat(70_000));
  private static final List<String> KEYS =
      List.of(
          "name",
          "type",
          "entity",
          "ttl",
          "fresh",
          "stale",
          "on_rotten",
          "features",
          "inputs",
          "expression",
          "kind",
          "min",
          "max",
          "values",
          "nullable",
          "join_key",
          "strategy",
          "value",
          "bins",
          "description",
          "unknown_key",
          "<<",
          "? complex",
          "\"quoted key\"");

  @TempDir Path temp;
  private int cases;

  /** Writes {@code files} (name, bytes) into a fresh directory and loads it. */
  private Outcome load(String what, byte[]... files) {
    Path dir = temp.resolve("case" + cases++).resolve("schemas");
    List<String> names = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (int i = 0; i < files.length; i++) {
        String name = "f" + i + ".yaml";
        Files.write(dir.resolve(name), files[i]);
        names.add("schemas/" + name);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return assertTimeoutPreemptively(
        PER_LOAD,
        () -> {
          try {
            SchemaLoader.load(dir);
            return Outcome.LOADED;
          } catch (SchemaException e) {
            assertTrue(!e.problems().isEmpty(), what + ": refused without a problem");
            for (SchemaProblem p : e.problems()) {
              assertTrue(names.contains(p.file()), what + ": problem names no file: " + p);
              assertTrue(p.line() >= 0 && p.reason().length() <= 400, what + ": " + p);
            }
            return new Outcome(e.problems());
          } catch (Throwable e) {
            throw new AssertionError(what + ": " + e, e);
          }
        },
        () -> what + ": no answer within " + PER_LOAD);
  }

  /** What a load did: {@link #LOADED}, or the problems it was refused with. */
  private record Outcome(List<SchemaProblem> problems) {
    static final Outcome LOADED = new Outcome(List.of());

    void assertRefusedAt(int line, String reasonPart) {
      assertTrue(
          problems.stream().anyMatch(p -> p.line() == line && p.reason().contains(reasonPart)),
          "expected a problem at line " + line + " about '" + reasonPart + "', got " + problems);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void mutatedExamples_loadOrRefuseWithFileAndLine() throws IOException {
    List<List<String>> examples = new ArrayList<>();
    for (Path example : EXAMPLES) {
      examples.add(Files.readAllLines(example));
    }
    Random random = new Random(SEED);
    int loaded = 0;
    for (int i = 0; i < 400; i++) {
      List<String> lines = new ArrayList<>(examples.get(random.nextInt(examples.size())));
      int mutations = 1 + random.nextInt(4);
      StringBuilder how = new StringBuilder();
      for (int m = 0; m < mutations; m++) {
        how.append(mutate(random, lines)).append(' ');
      }
      byte[] bytes = utf8(String.join("\n", lines) + "\n");
      if (random.nextInt(8) == 0) {
        bytes = corruptBytes(random, bytes);
        how.append("bytes");
      }
      if (load("seed " + SEED + " #" + i + " (" + how + ")", bytes) == Outcome.LOADED) {
        loaded++;
      }
    }
    // Some mutations are harmless (a description changed, a line duplicated in a list); most are
    // not. Both kinds must have run.
    assertTrue(loaded > 0 && loaded < 400, "loaded " + loaded + " of 400");
  }

  private static String mutate(Random random, List<String> lines) {
    int at = random.nextInt(lines.size());
    String line = lines.get(at);
    int colon = line.indexOf(": ");
    switch (random.nextInt(11)) {
      case 0:
        lines.remove(at);
        return "delete " + at;
      case 1:
        lines.add(at, line);
        return "duplicate " + at;
      case 2:
        if (colon < 0) {
          return "keep";
        }
        lines.set(at, line.substring(0, colon + 2) + SCALARS.get(random.nextInt(SCALARS.size())));
        return "value " + at;
      case 3:
        String indent = line.substring(0, line.length() - line.stripLeading().length());
        lines.add(at, indent + KEYS.get(random.nextInt(KEYS.size())) + ": " + pick(random));
        return "key " + at;
      case 4:
        lines.set(at, "\t" + line);
        return "tab " + at;
      case 5:
        lines.set(at, random.nextBoolean() ? "  " + line : line.stripLeading());
        return "indent " + at;
      case 6:
        int other = random.nextInt(lines.size());
        lines.set(at, lines.get(other));
        lines.set(other, line);
        return "swap " + at + " " + other;
      case 7:
        lines.set(at, line.replaceFirst("\\S+:", KEYS.get(random.nextInt(KEYS.size())) + ":"));
        return "rename " + at;
      case 9:
        int dash = line.indexOf("- ");
        if (dash < 0) {
          return "keep";
        }
        lines.set(at, line.substring(0, dash + 2) + pick(random));
        return "item " + at;
      case 10:
        int target = random.nextInt(lines.size());
        int targetColon = lines.get(target).indexOf(": ");
        if (colon < 0 || targetColon < 0) {
          return "keep";
        }
        lines.set(at, line.substring(0, colon + 2) + "&fuzz " + line.substring(colon + 2));
        lines.set(target, lines.get(target).substring(0, targetColon + 2) + "*fuzz");
        return "alias " + at + " " + target;
      default:
        int cut = random.nextInt(line.length() + 1);
        lines.set(at, line.substring(0, cut) + (char) random.nextInt(0x20) + line.substring(cut));
        return "control " + at;
    }
  }

  private static String pick(Random random) {
    return SCALARS.get(random.nextInt(SCALARS.size()));
  }

  private static byte[] corruptBytes(Random random, byte[] bytes) {
    byte[] out = Arrays.copyOf(bytes, bytes.length);
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      out[random.nextInt(out.length)] = (byte) (0x80 + random.nextInt(0x80));
    }
    return random.nextBoolean() ? out : Arrays.copyOf(out, random.nextInt(out.length + 1));
  }

  @Test
  void billionLaughs_refusedQuicklyWithoutExpanding() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      yaml.append('a').append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    yaml.append("entities: *a9\n");
    long start = System.nanoTime();
    Outcome outcome = load("billion laughs", utf8(yaml.toString()));
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
    outcome.assertRefusedAt(7, "aliases");
  }

  @Test
  void recursiveAlias_refused() {
    Outcome outcome = load("recursive", utf8("entities: &e\n  - name: x\n    join_key: *e\n"));
    assertTrue(!outcome.problems().isEmpty());
  }

  @Test
  void deepNesting_refusedWithItsLine() {
    Outcome flow = load("flow nesting", utf8("entities:\n  - " + "[".repeat(200_000) + "\n"));
    flow.assertRefusedAt(2, "nested");
    StringBuilder block = new StringBuilder("entities:\n");
    for (int i = 0; i < 5_000; i++) {
      block.append("  ".repeat(i + 1)).append("- k:\n");
    }
    Outcome blocks = load("block nesting", utf8(block.toString()));
    assertTrue(!blocks.problems().isEmpty(), "deep block nesting loaded");
  }

  @Test
  void tenMegabyteScalars_refused() {
    String huge = "x".repeat(10 * 1024 * 1024);
    Outcome value =
        load(
            "10 MB value",
            utf8("entities:\n  - name: customer\n    join_key: id\n    description: " + huge));
    assertTrue(!value.problems().isEmpty());
    Outcome key = load("10 MB key", utf8("entities:\n  - " + huge + ": 1\n"));
    assertTrue(!key.problems().isEmpty());
    Outcome number = load("a number of a million digits", utf8(bounded("1".repeat(1_000_000))));
    number.assertRefusedAt(8, "min");
  }

  /** A valid view whose feature's {@code min} is {@code min}, on line 8. */
  private static String bounded(String min) {
    return """
        entities:
          - {name: customer, join_key: customer_id, type: int64}
        feature_views:
          - name: profile
            entity: customer
            ttl: 1d
            features:
              - {name: spend, type: float64, min: %s, max: 10}
        """
        .formatted(min);
  }

  @Test
  void extremeNumbers_refusedWithTheirLine() {
    for (String min : List.of("1e999999999", "-1e-999999999", "!!int abc", "!!float x", "1e400")) {
      Outcome outcome = load("min " + min, utf8(bounded(min)));
      outcome.assertRefusedAt(8, "min");
    }
    assertEquals(Outcome.LOADED, load("min -1e300", utf8(bounded("-1e300"))));
  }

  @Test
  void invalidUtf8_refusedWithTheLineOfTheBadByte() {
    byte[] good =
        utf8("entities:\n  - name: customer\n    join_key: customer_id\n    type: int64\n");
    for (byte[] bad :
        List.of(
            new byte[] {(byte) 0xC3, 0x28},
            new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xC0, (byte) 0xAF})) {
      byte[] file = new byte[good.length + bad.length];
      int line3 = new String(good, StandardCharsets.UTF_8).indexOf("join_key");
      System.arraycopy(good, 0, file, 0, line3);
      System.arraycopy(bad, 0, file, line3, bad.length);
      System.arraycopy(good, line3, file, line3 + bad.length, good.length - line3);
      Outcome outcome = load("invalid UTF-8 " + Arrays.toString(bad), file);
      outcome.assertRefusedAt(3, "UTF-8");
    }
  }

  @Test
  void duplicateKeysTabsUnknownKeysAndWrongTypes_refusedWithTheirLines() {
    String valid = "entities:\n  - name: customer\n    join_key: customer_id\n    type: int64\n";
    assertEquals(Outcome.LOADED, load("valid", utf8(valid)));
    load("duplicate", utf8(valid + "    type: string\n")).assertRefusedAt(5, "duplicate key");
    load("tab", utf8(valid.replace("    type", "\ttype"))).assertRefusedAt(4, "YAML");
    load("unknown", utf8(valid + "    colour: blue\n")).assertRefusedAt(5, "unknown key 'colour'");
    load("list", utf8(valid.replace("int64", "[int64]"))).assertRefusedAt(4, "single value");
    load("map", utf8("entities: {name: x}\n")).assertRefusedAt(1, "must be a list");
    load("scalar doc", utf8("just text\n")).assertRefusedAt(1, "mapping");
    load("nul", utf8(valid + "\u0000")).assertRefusedAt(5, "YAML");
    assertEquals(Outcome.LOADED, load("empty and a valid one", utf8(""), utf8(valid)));
  }
}
