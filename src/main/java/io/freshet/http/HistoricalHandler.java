package io.freshet.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.freshet.ApiException;
import io.freshet.pit.LabelRow;
import io.freshet.pit.PointInTimeEngine;
import io.freshet.pit.SnapshotRequest;
import io.freshet.pit.SnapshotRequestParser;
import io.freshet.pit.SnapshotStore;
import io.freshet.pit.SnapshotStream;
import io.freshet.store.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * {@code POST /v1/features/historical}. A JSON body is checked whole before the first byte goes
 * out. An NDJSON body is read a chunk at a time, with the request paused while a chunk is computed
 * and written, so a million-row request needs no more memory than a chunk.
 */
final class HistoricalHandler {

  static final int CHUNK_ROWS = 5000;
  // Several chunks in flight: their queries run on separate connections, in parallel, while
  // the oldest is encoded and written; output order is kept by SnapshotStream.
  private static final int CHUNKS_IN_FLIGHT = 4;
  private static final int MAX_LINE_BYTES = 1 << 20;

  private final SnapshotRequestParser parser;
  private final PointInTimeEngine engine;
  private final SnapshotStore store;
  private final Clock clock;
  private final long maxRows;

  HistoricalHandler(
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

  void json(RoutingContext ctx) {
    long now = Timestamps.nowMicros(clock);
    SnapshotRequest request;
    List<LabelRow> rows = new ArrayList<>();
    try {
      JsonNode body = JsonBodies.parseObject(ctx.body().buffer());
      request = parser.options(body, true, now);
      JsonNode array = body.get("rows");
      if (array == null || !array.isArray() || array.isEmpty()) {
        throw ApiException.badRequest("rows must be a non-empty array");
      }
      if (array.size() > maxRows) {
        throw tooManyRows();
      }
      for (int i = 0; i < array.size(); i++) {
        rows.add(parser.row(request, array.get(i), i));
      }
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    SnapshotStream stream = new SnapshotStream(ctx.response(), request, engine, store, now);
    writeChunks(stream, rows, 0, new ArrayDeque<>())
        .compose(v -> stream.finish())
        .onFailure(e -> failed(ctx, stream, e));
  }

  private static Future<Void> writeChunks(
      SnapshotStream stream, List<LabelRow> rows, int from, Deque<Future<Void>> window) {
    int next = from;
    while (window.size() < CHUNKS_IN_FLIGHT && next < rows.size()) {
      int to = Math.min(rows.size(), next + CHUNK_ROWS);
      window.add(stream.write(rows.subList(next, to)));
      next = to;
    }
    if (window.isEmpty()) {
      return Future.succeededFuture();
    }
    int resume = next;
    return window.poll().compose(v -> writeChunks(stream, rows, resume, window));
  }

  private static void failed(RoutingContext ctx, SnapshotStream stream, Throwable e) {
    if (stream == null || !stream.started()) {
      if (stream != null) {
        stream.discard();
      }
      ctx.fail(e);
    } else {
      stream
          .abort(e)
          .onComplete(
              done -> {
                if (FailureHandler.unreadBody(ctx)) {
                  ctx.request().connection().close();
                }
              });
    }
  }

  void ndjson(RoutingContext ctx) {
    new NdjsonSnapshot(ctx, Timestamps.nowMicros(clock)).start();
  }

  /** The state of one streamed NDJSON request. */
  private final class NdjsonSnapshot {
    private final RoutingContext ctx;
    private final long now;
    private final RecordParser lines;
    private SnapshotRequest request;
    private SnapshotStream stream;
    private List<LabelRow> chunk = new ArrayList<>();
    private Future<Void> pending = Future.succeededFuture();
    private int inFlight;
    private long lineNumber;
    private long rowCount;
    private boolean failed;

    NdjsonSnapshot(RoutingContext ctx, long now) {
      this.ctx = ctx;
      this.now = now;
      HttpServerRequest http = ctx.request();
      this.lines = RecordParser.newDelimited("\n", http).maxRecordSize(MAX_LINE_BYTES);
    }

    void start() {
      lines.handler(this::line);
      lines.exceptionHandler(this::fail);
      lines.endHandler(v -> end());
      lines.resume();
    }

    private void line(Buffer line) {
      lineNumber++;
      if (failed || line.toString().isBlank()) {
        return;
      }
      try {
        JsonNode node = JsonBodies.parseLine(line, lineNumber);
        if (request == null) {
          if (!node.isObject()) {
            throw ApiException.badRequest("line 1 must be the options object");
          }
          request = parser.options(node, false, now);
          stream = new SnapshotStream(ctx.response(), request, engine, store, now);
          return;
        }
        if (rowCount == maxRows) {
          throw tooManyRows();
        }
        chunk.add(parser.row(request, node, rowCount++));
      } catch (RuntimeException e) {
        fail(e);
        return;
      }
      if (chunk.size() == CHUNK_ROWS) {
        List<LabelRow> full = chunk;
        chunk = new ArrayList<>();
        pending = stream.write(full);
        inFlight++;
        if (inFlight == CHUNKS_IN_FLIGHT) {
          lines.pause();
        }
        pending
            .onSuccess(
                v -> {
                  if (inFlight-- == CHUNKS_IN_FLIGHT && !failed) {
                    lines.resume();
                  }
                })
            .onFailure(this::fail);
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
      List<LabelRow> rest = chunk;
      (rest.isEmpty() ? pending : stream.write(rest))
          .compose(v -> stream.finish())
          .onFailure(this::fail);
    }

    private void fail(Throwable e) {
      if (failed) {
        return;
      }
      failed = true;
      lines.pause();
      failed(ctx, stream, e);
    }
  }
}
