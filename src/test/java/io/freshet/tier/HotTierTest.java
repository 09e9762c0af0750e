package io.freshet.tier;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hot tier's two ways of learning a record, and what each may make it serve. */
class HotTierTest {

  private static final TierKey KEY = new TierKey("profile", "1");
  private static final FeatureRecord OLD = FeatureRecord.ofJson(100, 1, "{\"age\":1}");
  private static final FeatureRecord NEW = FeatureRecord.ofJson(200, 2, "{\"age\":2}");
  private static final FeatureRecord CORRECTED = FeatureRecord.ofJson(200, 3, "{\"age\":3}");

  private final HotTier hot = HotTier.create(100, Duration.ofMinutes(1), () -> 0L);

  private FeatureRecord served() {
    return hot.peek(List.of(KEY)).get(0);
  }

  private void fill(FeatureRecord record) {
    hot.fill(List.of(KEY), List.of(record));
  }

  private void write(FeatureRecord record) {
    hot.write(List.of(KEY), List.of(record));
  }

  @Test
  void write_keyNotHeld_notServed() {
    write(OLD);
    assertNull(served(), "a newer record may be below: the write alone is not served");
  }

  @Test
  void write_keyNotHeld_thenOlderReadCannotLand() {
    write(NEW);
    fill(OLD);
    assertNull(served(), "a read that fetched the older record before the commit");
    fill(NEW);
    assertSame(NEW, served(), "the read that finds the write itself");
  }

  @Test
  void write_onTopOfHeldRecord_newestServed() {
    fill(OLD);
    write(NEW);
    assertSame(NEW, served());
    write(OLD);
    assertSame(NEW, served(), "a late event does not replace a newer one");
    write(CORRECTED);
    assertSame(CORRECTED, served(), "a correction of the same event time does");
  }

  @Test
  void write_onTopOfHeldOrder_staysAnOrder() {
    write(OLD);
    write(NEW);
    assertNull(served(), "still unknown whether something newer is below");
    fill(CORRECTED);
    assertSame(CORRECTED, served());
  }

  @Test
  void fill_newestWins() {
    fill(NEW);
    fill(OLD);
    assertSame(NEW, served());
    hot.fill(List.of(KEY), Collections.singletonList(null));
    assertSame(NEW, served(), "a miss below changes nothing");
  }

  @Test
  void disabled_holdsNothing() {
    HotTier off = HotTier.create(0, Duration.ofMinutes(1), () -> 0L);
    off.fill(List.of(KEY), List.of(NEW));
    assertNull(off.peek(List.of(KEY)).get(0));
  }
}
