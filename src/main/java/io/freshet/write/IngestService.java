package io.freshet.write;

import io.freshet.metrics.FreshetMetrics;
import io.freshet.model.ApiException;
import io.freshet.model.FeatureRecord;
import io.freshet.model.Timestamps;
import io.freshet.registry.FeatureView;
import io.freshet.registry.Registry;
import io.freshet.tier.IngestedAtTakenException;
import io.freshet.tier.RecordBatch;
import io.freshet.tier.Tiers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write path: validate the whole batch, stamp it with one {@code ingested_at}, make it durable
 * in the cold tier, then visible in the warm and hot tiers.
 */
public final class IngestService {

  private final Registry registry;
  private final BatchCommitter committer;
  private final Clock clock;
  private final FreshetMetrics metrics;
  private final int maxRows;
  private final Map<String, BatchValidator> validators = new HashMap<>();
  private final AtomicLong lastIngested = new AtomicLong(Long.MIN_VALUE);

  /** The outcome of an accepted batch. */
  public record Accepted(int rows, long ingestedMicros) {}

  private static final int MAX_STAMPS = 5;

  public IngestService(
      Registry registry, Tiers tiers, Clock clock, FreshetMetrics metrics, int maxRows) {
    this.registry = registry;
    this.committer = new BatchCommitter(tiers, new EventsVisible(tiers, registry));
    this.clock = clock;
    this.metrics = metrics;
    this.maxRows = maxRows;
    registry.views().forEach(v -> validators.put(v.name(), new BatchValidator(v)));
  }

  public FeatureView view(String name) {
    return registry
        .view(name)
        .orElseThrow(() -> ApiException.notFound("unknown feature view '" + name + "'"));
  }

  /**
   * Reads, checks and writes one batch. With an Idempotency-Key, a batch already accepted under
   * that key is answered with its first answer and not written again; the same key with a different
   * body is refused.
   */
  public Future<Accepted> ingest(
      String viewName, String contentType, Buffer body, String idempotencyKeyHeader) {
    FeatureView view = view(viewName);
    BatchBuilder builder = validators.get(view.name()).start(Timestamps.nowMicros(clock));
    IngestBody.read(contentType, body, builder, maxRows);
    String idempotencyKey = IngestBody.idempotencyKey(idempotencyKeyHeader);
    IngestBatch batch;
    try {
      batch = builder.build();
    } catch (ApiException e) {
      metrics.ingestRejected(view.name());
      throw e;
    }
    String requestSha256 = idempotencyKey == null ? null : IngestBody.sha256(view.name(), body);
    return write(view, batch, idempotencyKey, requestSha256, 1);
  }

  /**
   * Two instances can stamp the same microsecond; the database refuses the second whole batch, so
   * it is stamped again, later, and written again. The retry is bounded: a clock that keeps
   * colliding is a fault to see, not to loop on.
   */
  private Future<Accepted> write(
      FeatureView view,
      IngestBatch batch,
      String idempotencyKey,
      String requestSha256,
      int attempt) {
    long ingested = nextIngestedMicros();
    List<FeatureRecord> records = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      records.add(FeatureRecord.ofJson(batch.eventMicros()[i], ingested, batch.valuesJson()[i]));
    }
    RecordBatch written = new RecordBatch(view.name(), batch.entityKeys(), records);
    return committer
        .commit(idempotencyKey, requestSha256, written, view.isEvents())
        .map(
            first -> {
              if (first.isEmpty()) {
                metrics.ingestAccepted(view.name(), batch.size());
                return new Accepted(batch.size(), ingested);
              }
              if (!first.get().requestSha256().equals(requestSha256)) {
                throw ApiException.badRequest(
                    "Idempotency-Key was already used for a different request");
              }
              return new Accepted(first.get().accepted(), first.get().ingestedMicros());
            })
        .recover(
            failure ->
                failure instanceof IngestedAtTakenException && attempt < MAX_STAMPS
                    ? write(view, batch, idempotencyKey, requestSha256, attempt + 1)
                    : Future.failedFuture(failure));
  }

  /**
   * Strictly increasing within the process even when the clock stands still or steps back, so a
   * correction sent right after the original always orders after it.
   */
  private long nextIngestedMicros() {
    long now = Timestamps.nowMicros(clock);
    return lastIngested.updateAndGet(last -> Math.max(now, last + 1));
  }
}
