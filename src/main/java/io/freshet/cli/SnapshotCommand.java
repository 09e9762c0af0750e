package io.freshet.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code freshet snapshot}: a training snapshot streamed to disk, kept only when it is complete: no
 * error line, and the digest of the bytes written is the manifest's. The manifest is written beside
 * it.
 */
@Command(
    name = "snapshot",
    header = "Take a training snapshot to a file, checked against its manifest.",
    mixinStandardHelpOptions = true,
    description =
        "Takes a point-in-time snapshot of the label rows in --labels (CSV with a header, or NDJSON) and streams it to --out, checking its SHA-256 against the manifest as it goes. Writes the manifest to OUT.manifest.json. On an error line, a cut stream or a digest mismatch, deletes what it wrote and exits 1.")
final class SnapshotCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin ServerOption server;

  @Spec CommandSpec spec;

  @Option(names = "--service", paramLabel = "NAME", description = "The feature service")
  String service;

  @Option(
      names = "--features",
      split = ",",
      paramLabel = "NAME",
      description = "Features and transformations instead of a service, comma-separated")
  List<String> features;

  @Option(names = "--labels", required = true, paramLabel = "FILE", description = "Label rows")
  Path labels;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write")
  Path out;

  @Option(names = "--cutoff", paramLabel = "TS", description = "Records ingested by then count")
  String cutoff;

  @Option(
      names = "--as-known",
      paramLabel = "cutoff|row",
      description = "row: each row sees only records ingested by its time (default cutoff)")
  String asKnown;

  @Option(
      names = "--format",
      paramLabel = "csv|jsonl",
      description = "The body's format (default: csv for an --out ending in .csv, else jsonl)")
  String format;

  @Option(names = "--apply-freshness", description = "Null a nullify view's ROTTEN values")
  boolean applyFreshness;

  @Option(names = "--include-status", description = "Add NAME__status after each column")
  boolean includeStatus;

  @Option(names = "--include-timestamps", description = "Add NAME__event_timestamp columns")
  boolean includeTimestamps;

  @Option(
      names = "--timestamp-precision",
      paramLabel = "stored|micros",
      defaultValue = "micros",
      description = "micros: six fraction digits always (default ${DEFAULT-VALUE})")
  String timestampPrecision;

  SnapshotCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    if ((service == null) == (features == null)) {
      throw new ParameterException(spec.commandLine(), "give exactly one of --service, --features");
    }
    FreshetHttp http = server.connect(context);
    JsonObject options = options();
    Path rows = labels;
    Path converted = null;
    try {
      if (LabelsFile.isCsv(labels)) {
        Map<String, String> keys =
            LabelsFile.joinKeyTypes(http.getJson("/v1/registry"), service, features);
        converted = Files.createTempFile("freshet-labels", ".ndjson");
        LabelsFile.csvToNdjson(labels, keys, converted);
        rows = converted;
      } else if (!Files.isRegularFile(labels)) {
        throw CliException.failed("no file " + labels);
      }
      JsonObject manifest = download(http, options, rows, out, context);
      context
          .out()
          .printf(
              "%s: %,d rows, sha256 %s, snapshot %s; manifest %s%n",
              out,
              manifest.getLong("row_count"),
              manifest.getString("sha256"),
              manifest.getString("id"),
              manifestPath(out));
      return Cli.OK;
    } catch (NoSuchFileException e) {
      throw CliException.failed("no file " + e.getFile());
    } finally {
      if (converted != null) {
        Files.deleteIfExists(converted);
      }
    }
  }

  private JsonObject options() {
    JsonObject options = new JsonObject();
    if (service != null) {
      options.put("feature_service", service);
    } else {
      options.put("features", new JsonArray(features));
    }
    String body =
        format != null
            ? format
            : out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")
                ? "csv"
                : "jsonl";
    options.put("format", body).put("timestamp_precision", timestampPrecision);
    options.put("include_timestamps", includeTimestamps).put("include_status", includeStatus);
    options.put("apply_freshness", applyFreshness);
    if (asKnown != null) {
      options.put("as_known", asKnown);
    }
    if (cutoff != null) {
      options.put("cutoff", cutoff);
    }
    return options;
  }

  static Path manifestPath(Path out) {
    return out.resolveSibling(out.getFileName() + ".manifest.json");
  }

  /**
   * Streams a snapshot of {@code rows} (NDJSON) to {@code out} through a partial file, then checks
   * it against its manifest: only a complete, matching body is kept, with its manifest beside it.
   */
  static JsonObject download(
      FreshetHttp http, JsonObject options, Path rows, Path out, CliContext context)
      throws IOException {
    HttpResponse<InputStream> response = request(http, options, rows);
    String id = response.headers().firstValue("x-snapshot-id").orElse(null);
    Path part = out.resolveSibling(out.getFileName() + ".part");
    SnapshotBody body = new SnapshotBody();
    Progress progress = new Progress(context, "rows", 0);
    try (InputStream in = response.body();
        OutputStream file = Files.newOutputStream(part)) {
      body.read(in, (bytes, length) -> file.write(bytes, 0, length), progress);
    } catch (IOException e) {
      progress.finish();
      Files.deleteIfExists(part);
      throw CliException.failed(
          String.format(
              "the stream was cut after %,d bytes (%,d lines): %s; nothing was kept",
              body.bytes(), body.lines(), e.getMessage()));
    }
    progress.finish();
    try {
      JsonObject manifest = checked(http, id, body);
      Files.writeString(manifestPath(out), manifest.encodePrettily() + "\n");
      Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return manifest;
    } finally {
      Files.deleteIfExists(part);
    }
  }

  private static HttpResponse<InputStream> request(FreshetHttp http, JsonObject options, Path rows)
      throws IOException {
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.concat(
            HttpRequest.BodyPublishers.ofString(options.encode() + "\n"),
            HttpRequest.BodyPublishers.ofFile(rows),
            // A last row without its line break is still a row.
            HttpRequest.BodyPublishers.ofString("\n"));
    HttpResponse<InputStream> response =
        http.stream("/v1/features/historical", "application/x-ndjson", body, false);
    if (response.statusCode() != 200) {
      try (InputStream in = response.body()) {
        throw FreshetHttp.refused(
            "/v1/features/historical", response.statusCode(), in.readAllBytes());
      }
    }
    return response;
  }

  /** The manifest of a body that ended well and whose digest is the manifest's. */
  static JsonObject checked(FreshetHttp http, String id, SnapshotBody body) {
    String error = body.error();
    if (error != null) {
      throw CliException.failed(
          String.format(
              "the snapshot failed after %,d lines: %s; nothing was kept",
              body.lines() - 1, error));
    }
    JsonObject manifest;
    try {
      manifest = http.getJson("/v1/snapshots/" + id);
    } catch (CliException e) {
      throw CliException.failed(
          "snapshot " + id + " has no manifest, so it did not complete (" + e.getMessage() + ")");
    }
    if (!body.sha256().equals(manifest.getString("sha256"))) {
      throw CliException.failed(
          "the body's sha256 "
              + body.sha256()
              + " is not the manifest's "
              + manifest.getString("sha256")
              + "; nothing was kept");
    }
    return manifest;
  }
}
