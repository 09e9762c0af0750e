package io.freshet.cli;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code freshet verify FILE}: a snapshot re-run from its manifest, its answer compared byte for
 * byte with the file. The label rows are read back from the file itself, so the file and its
 * manifest are all a re-run needs.
 */
@Command(
    name = "verify",
    header = "Re-run a snapshot from its manifest and compare the bytes.",
    mixinStandardHelpOptions = true,
    description =
        "Re-runs the request in FILE's manifest (FILE.manifest.json), with its cutoff, over the label rows read back from FILE, and compares the answer with FILE byte for byte. Exit 0 when identical; 1 with the first line that differs.")
final class VerifyCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin ServerOption server;

  @Parameters(index = "0", paramLabel = "FILE", description = "A snapshot body")
  Path file;

  @Option(
      names = "--manifest",
      paramLabel = "FILE",
      description = "Its manifest (default FILE.manifest.json)")
  Path manifestFile;

  VerifyCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    Path manifestPath = manifestFile != null ? manifestFile : SnapshotCommand.manifestPath(file);
    if (!Files.isRegularFile(file) || !Files.isRegularFile(manifestPath)) {
      throw CliException.failed("need both " + file + " and " + manifestPath);
    }
    JsonObject manifest = new JsonObject(Files.readString(manifestPath));
    FreshetHttp http = server.connect(context);
    JsonObject request = request(manifest);
    Path rows = Files.createTempFile("freshet-verify", ".ndjson");
    try {
      Map<String, String> keyTypes =
          manifest.getJsonArray("columns") == null ? joinKeyTypes(http) : Map.of();
      OutputLabels.write(file, manifest, keyTypes, rows);
      return compare(http, request, rows, manifest);
    } finally {
      Files.deleteIfExists(rows);
    }
  }

  /** The manifest's request, with what a snapshot from before it was recorded read from FILE. */
  private JsonObject request(JsonObject manifest) throws IOException {
    JsonObject request = manifest.getJsonObject("request").copy();
    if (!request.containsKey("format")) {
      request.put("format", OutputLabels.isCsv(manifest, file) ? "csv" : "jsonl");
    }
    if (!request.containsKey("include_timestamps")) {
      try (var lines = Files.lines(file)) {
        String first = lines.findFirst().orElse("");
        request.put("include_timestamps", first.contains("__event_timestamp"));
      }
    }
    return request;
  }

  private static Map<String, String> joinKeyTypes(FreshetHttp http) {
    Map<String, String> types = new HashMap<>();
    var entities = http.getJson("/v1/registry").getJsonArray("entities");
    for (int i = 0; i < entities.size(); i++) {
      types.put(
          entities.getJsonObject(i).getString("join_key"),
          entities.getJsonObject(i).getString("type"));
    }
    return types;
  }

  private int compare(FreshetHttp http, JsonObject request, Path rows, JsonObject manifest)
      throws IOException {
    HttpResponse<InputStream> response =
        http.stream(
            "/v1/features/historical",
            "application/x-ndjson",
            HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString(request.encode() + "\n"),
                HttpRequest.BodyPublishers.ofFile(rows)),
            false);
    if (response.statusCode() != 200) {
      try (InputStream in = response.body()) {
        throw FreshetHttp.refused(
            "/v1/features/historical", response.statusCode(), in.readAllBytes());
      }
    }
    SnapshotBody body = new SnapshotBody();
    Difference difference = new Difference();
    Progress progress = new Progress(context, "rows", Files.size(file));
    try (InputStream again = response.body();
        InputStream before = new BufferedInputStream(Files.newInputStream(file))) {
      body.read(again, (bytes, length) -> difference.compare(before, bytes, length), progress);
      difference.end(before);
    } catch (IOException e) {
      progress.finish();
      throw CliException.failed("the re-run's stream was cut: " + e.getMessage());
    }
    progress.finish();
    if (difference.line() > 0) {
      throw CliException.failed(
          "the re-run differs from " + file + " from line " + difference.line() + " on");
    }
    String id = response.headers().firstValue("x-snapshot-id").orElse(null);
    JsonObject again = SnapshotCommand.checked(http, id, body);
    String rowsBefore = manifest.getString("rows_sha256");
    if (rowsBefore != null && !rowsBefore.equals(again.getString("rows_sha256"))) {
      throw CliException.failed("the label rows read back from " + file + " are not the ones sent");
    }
    context
        .out()
        .printf(
            "%s: identical: %,d bytes, sha256 %s, re-run as snapshot %s%n",
            file, body.bytes(), body.sha256(), id);
    return Cli.OK;
  }

  /** The first line where two byte streams part, compared a chunk at a time. */
  private static final class Difference {
    private long line = 1;
    private long differs;

    void compare(InputStream before, byte[] bytes, int length) throws IOException {
      for (int i = 0; i < length && differs == 0; i++) {
        int expected = before.read();
        if (expected != (bytes[i] & 0xff)) {
          differs = line;
        } else if (bytes[i] == '\n') {
          line++;
        }
      }
    }

    void end(InputStream before) throws IOException {
      if (differs == 0 && before.read() != -1) {
        differs = line;
      }
    }

    long line() {
      return differs;
    }
  }
}
