package io.freshet.pit;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.http.JsonBodies;
import io.freshet.http.Responses;
import io.freshet.model.ApiException;
import io.freshet.model.Timestamps;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.UUID;

/**
 * Snapshots: {@code POST /v1/features/historical} takes label rows and streams the training rows,
 * {@code GET /v1/snapshots/{id}} answers a finished snapshot's manifest. Every label row is read
 * and checked before anything is sent, so a bad row anywhere in a million is a plain 400. Rows are
 * kept by column (about twelve bytes each), which is what lets the join be one ordered pass per
 * view; an NDJSON body is read a line at a time and never held whole.
 */
public final class HistoricalHandler {

  private static final int MAX_LINE_BYTES = 1 << 20;

  private final SnapshotRequestParser parser;
  private final PointInTimeEngine engine;
  private final SnapshotStore store;
  private final Clock clock;
  private final long maxRows;

  public HistoricalHandler(
      SnapshotRequestParser parser,
      PointInTimeEngine engine,
      SnapshotStore store,
      Clock clock,
      long maxRows) {
    this.parser = parser;
    this.engine = engine;
    this.store = store;
    this.clock = clock;
    this.maxRows = maxRows;
  }

  private ApiException tooManyRows() {
    return ApiException.tooLarge(
        "more than " + maxRows + " rows in one snapshot request (FRESHET_MAX_SNAPSHOT_ROWS)");
  }

  public void json(RoutingContext ctx) {
    long now = Timestamps.nowMicros(clock);
    // A JSON body can be megabytes of label rows: it is parsed on a snapshot thread, not here.
    engine
        .workers()
        .run(() -> parse(ctx.body().buffer(), now))
        .onSuccess(parsed -> run(ctx, parsed.request(), parsed.labels(), now))
        .onFailure(ctx::fail);
  }

  /** A JSON request's options and label rows, every row checked. */
  private record Parsed(SnapshotRequest request, LabelTable labels) {}

  private Parsed parse(Buffer body, long now) {
    SnapshotRequest request = parser.options(JsonSnapshotBody.options(body), true, now);
    LabelTable labels = new LabelTable(request.joinKeys().size());
    JsonSnapshotBody.rows(body, parser, request, labels, maxRows, tooManyRows());
    return new Parsed(request, labels);
  }

  /** {@code GET /v1/snapshots/{id}}: the manifest, stored once the last row went out. */
  public void manifest(RoutingContext ctx) {
    Responses.json(
        ctx,
        () -> {
          UUID id;
          try {
            id = UUID.fromString(ctx.pathParam("id"));
          } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no snapshot '" + ctx.pathParam("id") + "'");
          }
          return store
              .find(id)
              .map(
                  manifest ->
                      manifest
                          .orElseThrow(() -> ApiException.notFound("no snapshot '" + id + "'"))
                          .toBuffer());
        });
  }

  private void run(RoutingContext ctx, SnapshotRequest options, LabelTable labels, long now) {
    SnapshotRequest request = options.withLabelFields(labels.fieldNames());
    SnapshotStream stream = new SnapshotStream(ctx.response(), request, engine, store, now);
    stream
        .run(labels)
        .onFailure(
            e -> {
              if (!stream.started()) {
                ctx.fail(e);
              } else {
                stream.abort(e);
              }
            });
  }

  public void ndjson(RoutingContext ctx) {
    // The body handler answers this for the other routes; without it curl waits a second.
    if ("100-continue".equalsIgnoreCase(ctx.request().getHeader("expect"))) {
      ctx.response().writeContinue();
    }
    new NdjsonRequest(ctx, Timestamps.nowMicros(clock)).start();
  }

  /** The state of one NDJSON request while its lines are read. */
  private final class NdjsonRequest {
    private final RoutingContext ctx;
    private final long now;
    private final RecordParser lines;
    private SnapshotRequest request;
    private LabelTable labels;
    private long lineNumber;
    private long rowCount;
    private boolean failed;

    NdjsonRequest(RoutingContext ctx, long now) {
      this.ctx = ctx;
      this.now = now;
      this.lines = RecordParser.newDelimited("\n", ctx.request()).maxRecordSize(MAX_LINE_BYTES);
    }

    void start() {
      lines.handler(this::line);
      lines.exceptionHandler(this::fail);
      lines.endHandler(v -> end());
      lines.resume();
    }

    private void line(Buffer line) {
      lineNumber++;
      if (failed) {
        return;
      }
      try {
        if (request == null) {
          options(line);
        } else {
          row(line);
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    private void options(Buffer line) {
      JsonNode node = JsonBodies.parseLine(line, lineNumber);
      if (node == null) {
        return;
      }
      if (!node.isObject()) {
        throw ApiException.badRequest("line 1 must be the options object");
      }
      request = parser.options(node, false, now);
      labels = new LabelTable(request.joinKeys().size());
    }

    private void row(Buffer line) {
      if (rowCount == maxRows && !JsonBodies.isBlank(line)) {
        throw tooManyRows();
      }
      if (JsonBodies.readLine(
          line,
          lineNumber,
          json -> {
            json.nextToken();
            parser.row(request, json, rowCount, labels);
          })) {
        rowCount++;
      }
    }

    private void end() {
      if (failed) {
        return;
      }
      if (request == null || rowCount == 0) {
        fail(ApiException.badRequest("the body holds no options line and label rows"));
        return;
      }
      run(ctx, request, labels, now);
    }

    private void fail(Throwable e) {
      if (failed) {
        return;
      }
      failed = true;
      lines.pause();
      ctx.fail(e);
    }
  }
}
