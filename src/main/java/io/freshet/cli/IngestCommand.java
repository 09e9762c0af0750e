package io.freshet.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.freshet.model.Digests;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code freshet ingest VIEW FILE}: a file of rows written in batches, each batch sent with an
 * Idempotency-Key taken from its content, so a batch retried after a 503 or a dropped connection,
 * or sent again by running the command again after a failure, is written once.
 */
@Command(
    name = "ingest",
    header = "Write a file of rows (NDJSON or CSV) to a feature view.",
    mixinStandardHelpOptions = true,
    description =
        "Writes the rows of FILE (NDJSON, or CSV with a header line) to the feature view VIEW, in batches. Each batch carries an Idempotency-Key derived from its content: a batch retried (after a 503 or a dropped connection) or sent again by running the command again is written once, within the server's idempotency retention. A malformed line or a refused row stops the command with its line number; the batches before it stay written.")
final class IngestCommand implements Callable<Integer> {

  private static final JsonFactory JSON = new JsonFactory();
  private static final int ATTEMPTS = 6;
  private static final long FIRST_BACKOFF_MS = 200;

  private final CliContext context;

  @Mixin ServerOption server;

  @Parameters(index = "0", paramLabel = "VIEW", description = "The feature view")
  String view;

  @Parameters(index = "1", paramLabel = "FILE", description = "The rows: .csv, else NDJSON")
  Path file;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Rows per request (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(
      names = "--format",
      paramLabel = "ndjson|csv",
      description = "The file's format (default: csv for a .csv file, else ndjson)")
  String format;

  @Spec CommandSpec spec;

  IngestCommand(CliContext context) {
    this.context = context;
  }

  /** Rows waiting to be sent, with the file line each came from. */
  private final class Batch {
    final StringBuilder body = new StringBuilder();
    final List<Integer> lines = new ArrayList<>();
  }

  private FreshetHttp http;
  private Progress progress;
  private long written;
  private int batches;

  @Override
  public Integer call() throws IOException {
    if (batchSize < 1) {
      throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1");
    }
    if (format != null && !format.equals("csv") && !format.equals("ndjson")) {
      throw new ParameterException(spec.commandLine(), "--format must be ndjson or csv");
    }
    boolean csv =
        format != null
            ? format.equals("csv")
            : file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    http = server.connect(context);
    Map<String, String> types = csv ? columnTypes() : Map.of();
    long size = size(file);
    progress = new Progress(context, "rows", size);
    try (CountingReader in =
        new CountingReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
      if (csv) {
        readCsv(in, types);
      } else {
        readNdjson(new BufferedReader(in), in);
      }
    } catch (NoSuchFileException e) {
      throw CliException.failed("no file " + file);
    }
    double seconds = progress.finish();
    context
        .out()
        .printf(
            "%s: %,d rows written in %,d %s, %.1f s, %,.0f rows/s%n",
            view,
            written,
            batches,
            batches == 1 ? "batch" : "batches",
            seconds,
            written / Math.max(seconds, 1e-3));
    return Cli.OK;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw CliException.failed("cannot read " + file + ": " + e.getMessage());
    }
  }

  private void readNdjson(BufferedReader in, CountingReader read) throws IOException {
    Batch batch = new Batch();
    int number = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      checkObject(line, number);
      batch.body.append(line).append('\n');
      batch.lines.add(number);
      if (batch.lines.size() == batchSize) {
        send(batch, read.count());
        batch = new Batch();
      }
    }
    if (!batch.lines.isEmpty()) {
      send(batch, read.count());
    }
  }

  /** Refuses a line that is not one JSON object, before its batch is sent. */
  private void checkObject(String line, int number) {
    try (JsonParser json = JSON.createParser(line)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw stopped(number, "not a JSON object");
      }
      json.skipChildren();
      if (json.nextToken() != null) {
        throw stopped(number, "more than one JSON value");
      }
    } catch (JsonProcessingException e) {
      throw stopped(number, "not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw stopped(number, "not readable (" + e.getMessage() + ")");
    }
  }

  private void readCsv(CountingReader in, Map<String, String> types) throws IOException {
    CsvRecords records = new CsvRecords(in);
    List<String> header = records.next();
    if (header == null) {
      throw CliException.failed(file + " is empty: a CSV file starts with a header line");
    }
    String[] columnTypes = new String[header.size()];
    for (int c = 0; c < header.size(); c++) {
      columnTypes[c] = types.getOrDefault(header.get(c), "string");
    }
    Batch batch = new Batch();
    for (List<String> record = records.next(); record != null; record = records.next()) {
      if (record.size() != header.size()) {
        throw stopped(
            records.recordLine(),
            record.size() + " fields where the header names " + header.size());
      }
      StringBuilder row = new StringBuilder("{");
      for (int c = 0; c < header.size(); c++) {
        row.append(c == 0 ? "" : ",").append(JsonText.string(header.get(c))).append(':');
        row.append(JsonText.typed(record.get(c), columnTypes[c]));
      }
      batch.body.append(row.append('}')).append('\n');
      batch.lines.add(records.recordLine());
      if (batch.lines.size() == batchSize) {
        send(batch, in.count());
        batch = new Batch();
      }
    }
    if (!batch.lines.isEmpty()) {
      send(batch, in.count());
    }
  }

  /** Every column a row of VIEW may hold, with its type, from the server's registry. */
  private Map<String, String> columnTypes() {
    JsonObject registry = http.getJson("/v1/registry");
    JsonObject definition = named(registry.getJsonArray("feature_views"), view);
    if (definition == null) {
      throw CliException.failed("unknown feature view '" + view + "'");
    }
    Map<String, String> types = new HashMap<>();
    JsonObject entity = named(registry.getJsonArray("entities"), definition.getString("entity"));
    types.put(entity.getString("join_key"), entity.getString("type"));
    types.put("event_timestamp", "timestamp");
    JsonArray features = definition.getJsonArray("features");
    for (int i = 0; i < features.size(); i++) {
      types.put(
          features.getJsonObject(i).getString("name"), features.getJsonObject(i).getString("type"));
    }
    return types;
  }

  static JsonObject named(JsonArray objects, String name) {
    for (int i = 0; i < objects.size(); i++) {
      if (name.equals(objects.getJsonObject(i).getString("name"))) {
        return objects.getJsonObject(i);
      }
    }
    return null;
  }

  /** Sends one batch, retrying a 503 or a dropped connection under the same key. */
  private void send(Batch batch, long bytesRead) {
    byte[] body = batch.body.toString().getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = Map.of("Idempotency-Key", key(body));
    String path = "/v1/ingest/" + view;
    for (int attempt = 1; ; attempt++) {
      HttpResponse<byte[]> r;
      try {
        r = http.post(path, "application/x-ndjson", body, headers, true);
      } catch (IOException e) {
        if (attempt == ATTEMPTS) {
          throw http.unreachable(e);
        }
        backOff(attempt);
        continue;
      }
      if (r.statusCode() == 503 && attempt < ATTEMPTS) {
        backOff(attempt);
        continue;
      }
      if (r.statusCode() == 200) {
        written += batch.lines.size();
        batches++;
        progress.update(bytesRead, written);
        return;
      }
      throw refused(batch, r);
    }
  }

  /** A refused batch: its rows named by their lines in the file; none of it was written. */
  private CliException refused(Batch batch, HttpResponse<byte[]> r) {
    JsonObject error;
    try {
      error = new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return FreshetHttp.refused("/v1/ingest/" + view, r.statusCode(), r.body());
    }
    StringBuilder message = new StringBuilder();
    JsonArray details = error.getJsonArray("details", new JsonArray());
    for (int i = 0; i < details.size() && i < 20; i++) {
      JsonObject detail = details.getJsonObject(i);
      int row = detail.getInteger("row", -1);
      String line = row >= 0 && row < batch.lines.size() ? "line " + batch.lines.get(row) : "a row";
      message.append(line).append(": ");
      if (detail.getString("field") != null) {
        message.append(detail.getString("field")).append(": ");
      }
      message.append(detail.getString("message")).append('\n');
    }
    if (details.isEmpty()) {
      message.append(r.statusCode()).append(' ').append(error.getString("error")).append(": ");
      message.append(error.getString("message")).append('\n');
    }
    return CliException.failed(
        message
            + String.format(
                "the batch of lines %d to %d was refused and nothing of it written; %,d rows"
                    + " before it were",
                batch.lines.get(0), batch.lines.get(batch.lines.size() - 1), written));
  }

  private CliException stopped(int line, String reason) {
    progress.finish();
    return CliException.failed(
        String.format(
            "%s line %d: %s; %,d rows before it were written, nothing after it",
            file, line, reason, written));
  }

  private String key(byte[] body) {
    MessageDigest digest = Digests.create("SHA-256");
    digest.update((view + "\n").getBytes(StandardCharsets.UTF_8));
    digest.update(body);
    return "freshet-ingest-" + Digests.hex(digest);
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(FIRST_BACKOFF_MS << (attempt - 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    }
  }
}
