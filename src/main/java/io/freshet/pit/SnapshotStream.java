package io.freshet.pit;

import io.freshet.encoding.LabelDigest;
import io.freshet.encoding.SnapshotEncoder;
import io.freshet.model.ApiException;
import io.freshet.model.Cell;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

/**
 * One snapshot's response. Nothing is sent until every view is joined, so a bad row, an unknown key
 * type or an unavailable Postgres is a plain error answer; then rows go out in input order, a chunk
 * at a time, each encoded on a worker while the one before it is written, and no further ahead than
 * the connection takes them. A client that goes away cancels the work; the manifest is stored only
 * after the last row is out.
 */
public final class SnapshotStream {

  static final int CHUNK_ROWS = 4096;
  // Enough to keep every snapshot worker busy while the oldest chunk is written.
  private static final int CHUNKS_IN_FLIGHT = 4;
  private static final System.Logger LOG = System.getLogger(SnapshotStream.class.getName());

  private final HttpServerResponse response;
  private final SnapshotRequest request;
  private final PointInTimeEngine engine;
  private final SnapshotStore store;
  private final SnapshotEncoder encoder;
  private final UUID id = UUID.randomUUID();
  private final long createdMicros;
  private volatile boolean cancelled;
  private boolean started;

  public SnapshotStream(
      HttpServerResponse response,
      SnapshotRequest request,
      PointInTimeEngine engine,
      SnapshotStore store,
      long createdMicros) {
    this.response = response;
    this.request = request;
    this.engine = engine;
    this.store = store;
    this.encoder = store.encoder(request);
    this.createdMicros = createdMicros;
    response.closeHandler(v -> cancelled = true);
  }

  /** Whether the body has begun: from then on a failure can only end it with an error line. */
  public boolean started() {
    return started;
  }

  /**
   * Joins, streams every row, stores the manifest, then ends the body. The label rows' digest is
   * taken on a worker while the views are joined.
   */
  public Future<Void> run(LabelTable labels) {
    Future<String> rowsSha256 =
        engine.workers().run(() -> LabelDigest.sha256(request.layout(), labels));
    return engine
        .join(request, labels, () -> cancelled)
        .compose(
            join -> {
              if (cancelled) {
                return Future.failedFuture(new IllegalStateException("snapshot abandoned"));
              }
              start();
              return pump(join, 0, new ArrayDeque<>());
            })
        .compose(done -> rowsSha256)
        .compose(
            digest ->
                engine
                    .workers()
                    .run(() -> store.manifest(id, createdMicros, request, labels, digest, encoder)))
        .compose(store::save)
        .compose(saved -> response.end());
  }

  private void start() {
    started = true;
    response
        .setChunked(true)
        .putHeader("content-type", request.layout().format().contentType())
        .putHeader("X-Snapshot-Id", id.toString());
    response.write(encoder.header());
  }

  /**
   * Keeps up to {@link #CHUNKS_IN_FLIGHT} chunks encoding on the workers at once and writes them in
   * order as they finish, no faster than the connection drains.
   */
  private Future<Void> pump(
      SnapshotJoin join, int from, Deque<Future<SnapshotEncoder.Chunk>> window) {
    int size = join.labels().size();
    int next = from;
    while (window.size() < CHUNKS_IN_FLIGHT && next < size) {
      int start = next;
      int end = Math.min(size, start + CHUNK_ROWS);
      window.add(engine.workers().run(() -> encode(join, start, end)));
      next = end;
    }
    Future<SnapshotEncoder.Chunk> oldest = window.poll();
    if (oldest == null) {
      return Future.succeededFuture();
    }
    int resume = next;
    return oldest
        .compose(
            chunk -> {
              if (cancelled) {
                return Future.failedFuture(new IllegalStateException("snapshot abandoned"));
              }
              // The digest and the statistics of a chunk take longer than an event loop should be
              // held.
              return engine.workers().run(() -> encoder.emit(chunk));
            })
        .compose(
            bytes -> {
              Future<Void> written = response.write(bytes);
              return response.writeQueueFull() ? written : Future.succeededFuture();
            })
        .compose(written -> pump(join, resume, window));
  }

  private SnapshotEncoder.Chunk encode(SnapshotJoin join, int from, int to) {
    Cell[][] cells = new Cell[to - from][];
    for (int row = from; row < to; row++) {
      cells[row - from] = join.cells(row);
    }
    return encoder.encode(join.labels(), from, cells);
  }

  /**
   * Ends a body that already began with the API's error line, so a client cannot mistake a failed
   * snapshot for a short one; no manifest is stored.
   */
  public Future<Void> abort(Throwable failure) {
    if (cancelled || response.ended()) {
      return Future.succeededFuture();
    }
    ApiException error =
        ApiException.of(failure)
            .orElseGet(
                () -> {
                  LOG.log(
                      System.Logger.Level.ERROR,
                      "snapshot " + id + " failed while streaming",
                      failure);
                  return new ApiException(500, "internal", "snapshot failed", null);
                });
    return response.end(encoder.error(error.code(), error.getMessage()));
  }
}
