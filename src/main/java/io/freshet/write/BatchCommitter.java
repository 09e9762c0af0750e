package io.freshet.write;

import io.freshet.model.ApiException;
import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import io.freshet.model.TierUnavailableException;
import io.freshet.tier.FirstAnswer;
import io.freshet.tier.Tiers;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Appends a validated batch to the record of truth, then makes it visible: the view watermarks, the
 * hot tier, Redis (newest wins) and the change feed, in that order. Only a committed batch goes
 * further than Postgres, so no tier ever holds a value Postgres does not; a Redis or feed failure
 * after the commit does not fail the write (the warm tier remembers the keys and drops them when it
 * recovers, and other instances' hot entries expire).
 */
final class BatchCommitter {

  private static final System.Logger LOG = System.getLogger(BatchCommitter.class.getName());

  private final Tiers tiers;

  BatchCommitter(Tiers tiers) {
    this.tiers = tiers;
  }

  /**
   * Writes the batch under an Idempotency-Key ({@code null} for none): when the key was seen
   * before, nothing is written and the first answer comes back instead. Succeeds once the batch is
   * durable.
   */
  Future<Optional<FirstAnswer>> commit(
      String idempotencyKey,
      String requestSha256,
      String view,
      List<String> entityKeys,
      List<FeatureRecord> records) {
    List<TierKey> keys = new ArrayList<>(entityKeys.size());
    entityKeys.forEach(k -> keys.add(new TierKey(view, k)));
    Future<Optional<FirstAnswer>> committed =
        idempotencyKey == null
            ? tiers.cold().append(view, entityKeys, records).map(v -> Optional.empty())
            : tiers.cold().appendOnce(idempotencyKey, requestSha256, view, entityKeys, records);
    return committed
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof TierUnavailableException
                        ? ApiException.unavailable(
                            "cold tier (Postgres) is unavailable; nothing was written")
                        : e))
        .compose(
            first ->
                first.isPresent()
                    ? Future.succeededFuture(first)
                    : makeVisible(keys, records).map(first));
  }

  private Future<Void> makeVisible(List<TierKey> keys, List<FeatureRecord> records) {
    tiers.watermarks().advance(keys, records);
    tiers.hot().put(keys, records);
    return tiers
        .warm()
        .offer(keys, records)
        .recover(e -> Future.succeededFuture())
        .compose(
            visible ->
                tiers
                    .feed()
                    .publish(keys, records)
                    .recover(
                        e -> {
                          LOG.log(System.Logger.Level.WARNING, "change not announced: " + e);
                          return Future.succeededFuture();
                        }));
  }
}
