package io.freshet.write;

import io.freshet.model.ApiException;
import io.freshet.model.TierKey;
import io.freshet.model.TierUnavailableException;
import io.freshet.tier.Appended;
import io.freshet.tier.FirstAnswer;
import io.freshet.tier.RecordBatch;
import io.freshet.tier.Tiers;
import io.vertx.core.Future;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Appends a validated batch to the record of truth, then makes it visible: the view watermarks, the
 * hot tier, Redis (newest wins) and the change feed, in that order. Only a committed batch goes
 * further than Postgres, so no tier ever holds a value Postgres does not; a Redis or feed failure
 * after the commit does not fail the write (the batch's keys stay in the durable repair log, which
 * any instance repairs, and other instances' hot entries expire).
 */
final class BatchCommitter {

  private static final System.Logger LOG = System.getLogger(BatchCommitter.class.getName());

  private final Tiers tiers;
  private final EventsVisible events;

  BatchCommitter(Tiers tiers, EventsVisible events) {
    this.tiers = tiers;
    this.events = events;
  }

  /**
   * Writes the batch under an Idempotency-Key ({@code null} for none): when the key was seen
   * before, nothing is written and the first answer comes back instead. Succeeds once the batch is
   * durable.
   */
  Future<Optional<FirstAnswer>> commit(
      String idempotencyKey, String requestSha256, RecordBatch batch, boolean events) {
    if (events) {
      return commitEvents(idempotencyKey, requestSha256, batch);
    }
    Future<Appended> committed =
        idempotencyKey == null
            ? tiers.cold().append(batch)
            : tiers.cold().appendOnce(idempotencyKey, requestSha256, batch);
    return durable(committed)
        .compose(
            appended ->
                appended.firstAnswer().isPresent()
                    ? Future.succeededFuture(appended.firstAnswer())
                    : makeVisible(appended.repairTicket(), batch).map(appended.firstAnswer()));
  }

  /**
   * An event view's batch: every row an event in the cold tier, then its watermark (the view's lag)
   * and its entities' tiles ({@link EventsVisible}); its rows are never served as records.
   */
  private Future<Optional<FirstAnswer>> commitEvents(
      String idempotencyKey, String requestSha256, RecordBatch batch) {
    Future<Appended> committed =
        idempotencyKey == null
            ? tiers.cold().appendEvents(batch)
            : tiers.cold().appendEventsOnce(idempotencyKey, requestSha256, batch);
    return durable(committed)
        .compose(
            appended ->
                appended.firstAnswer().isPresent()
                    ? Future.succeededFuture(appended.firstAnswer())
                    : events.after(appended.repairTicket(), batch).map(appended.firstAnswer()));
  }

  private static Future<Appended> durable(Future<Appended> committed) {
    return committed.recover(
        e ->
            Future.failedFuture(
                e instanceof TierUnavailableException
                    ? ApiException.unavailable(
                        "cold tier (Postgres) is unavailable; nothing was written")
                    : e));
  }

  private Future<Void> makeVisible(long ticket, RecordBatch batch) {
    List<TierKey> keys = batch.keys();
    tiers.watermarks().advance(keys, batch.records());
    // The order first, so no read racing this write can put an older record back; then the
    // records Redis says it holds, which are the newest there are.
    tiers.hot().write(keys, batch.records());
    return tiers
        .warm()
        .offerWritten(ticket, batch)
        .onSuccess(held -> tiers.hot().fillHeld(keys, batch.records(), held))
        .recover(e -> Future.succeededFuture(new BitSet()))
        .compose(
            held ->
                tiers
                    .feed()
                    .publish(batch, held)
                    .recover(
                        e -> {
                          LOG.log(System.Logger.Level.WARNING, "change not announced: " + e);
                          return Future.succeededFuture();
                        }));
  }
}
