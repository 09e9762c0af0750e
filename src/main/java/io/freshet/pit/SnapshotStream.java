package io.freshet.pit;

import io.freshet.ApiException;
import io.freshet.store.Cell;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.UUID;

/**
 * One snapshot's response: rows go out chunk by chunk, each written before the next is computed, so
 * a slow reader slows the snapshot instead of filling the heap. A client that goes away cancels the
 * work; the manifest is stored only after the last row is out.
 */
public final class SnapshotStream {

  private final HttpServerResponse response;
  private final SnapshotRequest request;
  private final PointInTimeEngine engine;
  private final SnapshotStore store;
  private final SnapshotEncoder encoder;
  private final UUID id = UUID.randomUUID();
  private final long createdMicros;
  private volatile boolean cancelled;
  private boolean started;
  private Future<Void> written = Future.succeededFuture();

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

  public boolean started() {
    return started;
  }

  /** Stops a snapshot that failed before its first byte: chunks still computing write nothing. */
  public void discard() {
    cancelled = true;
  }

  /**
   * Starts computing a chunk at once and writes it after every earlier chunk, so the next chunk's
   * query runs while this one is encoded and sent. The future completes once this chunk is written.
   */
  public Future<Void> write(List<LabelRow> rows) {
    if (cancelled) {
      return Future.failedFuture(new IllegalStateException("client went away"));
    }
    Future<List<Cell[]>> computed = engine.cells(request, rows);
    written =
        written
            .compose(previous -> computed)
            .compose(
                cells -> {
                  if (cancelled) {
                    return Future.failedFuture(new IllegalStateException("snapshot abandoned"));
                  }
                  if (!started) {
                    start();
                  }
                  return response.write(encoder.rows(rows, cells));
                });
    return written;
  }

  private void start() {
    started = true;
    response
        .setChunked(true)
        .putHeader("content-type", request.format().contentType())
        .putHeader("X-Snapshot-Id", id.toString());
    response.write(encoder.header());
  }

  /** Stores the manifest, then ends the body: a client that saw the end can fetch it. */
  public Future<Void> finish() {
    return written
        .compose(
            done -> {
              if (!started) {
                start();
              }
              return store.save(id, createdMicros, request, encoder);
            })
        .compose(saved -> response.end())
        .recover(e -> abort(e));
  }

  /**
   * Ends a body that already began with the API's error line, so a client cannot mistake a failed
   * snapshot for a short one; no manifest is stored.
   */
  public Future<Void> abort(Throwable failure) {
    ApiException error =
        failure instanceof ApiException
            ? (ApiException) failure
            : new ApiException(500, "internal", "snapshot failed", null);
    // Chunks already computing were checked before the failure; they go out first, whole.
    return written.transform(
        (done, earlier) -> {
          if (cancelled || response.ended()) {
            return Future.succeededFuture();
          }
          return response.end(encoder.error(error.code(), error.getMessage()));
        });
  }
}
