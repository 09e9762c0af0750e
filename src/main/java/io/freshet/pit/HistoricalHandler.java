package io.freshet.pit;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.http.JsonBodies;
import io.freshet.http.Responses;
import io.freshet.model.ApiException;
import io.freshet.model.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Snapshots: {@code POST /v1/features/historical} takes label rows and streams the training rows,
 * {@code GET /v1/snapshots/{id}} answers a finished snapshot's manifest. Every label row is read
 * and checked before anything is sent, so a bad row anywhere in a million is a plain 400. Rows are
 * kept by column (about twelve bytes each), which is what lets the join be one ordered pass per
 * view; an NDJSON body is read in batches of lines and never held whole.
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

  /**
   * The state of one NDJSON request while its lines are read. The event loop only splits the body
   * into lines and hands them on in batches; they are parsed and checked on the snapshot threads,
   * one batch after another in order (a megabyte of label rows takes longer to parse than an event
   * loop should be held). The body is paused while too many batches wait.
   */
  private final class NdjsonRequest {
    private static final int LINES_PER_BATCH = 1024;
    private static final int BATCHES_WAITING = 4;

    private final RoutingContext ctx;
    private final long now;
    private final RecordParser lines;
    private List<Buffer> batch = new ArrayList<>(LINES_PER_BATCH);
    private Future<Void> parsed = Future.succeededFuture();
    private int waiting;
    private boolean ended;
    private boolean failed;
    // Touched only by the batch being parsed, one at a time, each after the one before.
    private SnapshotRequest request;
    private LabelTable labels;
    private long lineNumber;
    private long rowCount;

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
      if (failed) {
        return;
      }
      batch.add(line);
      if (batch.size() == LINES_PER_BATCH) {
        parseBatch();
      }
    }

    private void parseBatch() {
      List<Buffer> taken = batch;
      batch = new ArrayList<>(LINES_PER_BATCH);
      if (++waiting == BATCHES_WAITING) {
        lines.pause();
      }
      parsed =
          parsed
              .compose(
                  done ->
                      engine
                          .workers()
                          .<Void>run(
                              () -> {
                                taken.forEach(this::parseLine);
                                return null;
                              }))
              .onSuccess(
                  done -> {
                    // Resumed after its end, a record parser reports the end again.
                    if (waiting-- == BATCHES_WAITING && !failed && !ended) {
                      lines.resume();
                    }
                  })
              .onFailure(this::fail);
    }

    private void parseLine(Buffer line) {
      lineNumber++;
      if (request == null) {
        options(line);
      } else {
        row(line);
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
      if (failed || ended) {
        return;
      }
      ended = true;
      parseBatch();
      parsed.onSuccess(
          done -> {
            if (request == null || rowCount == 0) {
              fail(ApiException.badRequest("the body holds no options line and label rows"));
              return;
            }
            run(ctx, request, labels, now);
          });
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
