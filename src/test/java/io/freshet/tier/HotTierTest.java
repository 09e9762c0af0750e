package io.freshet.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.freshet.model.FeatureRecord;
import io.freshet.model.TierKey;
import java.time.Duration;
import java.util.ArrayList;
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

  @Test
  void entityKeys_thatReadAsTheSameNumber_areDistinctCells() {
    // Decimal keys are held as numbers; only the canonical spelling of each may be, or "07" would
    // be served "7"'s record. Each of these is its own cell, in two views.
    List<String> spellings =
        List.of(
            "7",
            "07",
            "-7",
            "-07",
            "0",
            "-0",
            "00",
            "",
            "-",
            "7a",
            "+7",
            " 7",
            "999999999999999999",
            "9999999999999999999",
            "99999999999999999999",
            "-999999999999999999",
            "9223372036854775807",
            "-9223372036854775808",
            "\u0667");
    List<TierKey> keys = new ArrayList<>();
    for (String view : List.of("profile", "activity")) {
      for (String spelling : spellings) {
        keys.add(new TierKey(view, spelling));
      }
    }
    List<FeatureRecord> records = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      records.add(FeatureRecord.ofJson(100 + i, 1, "{\"age\":" + i + "}"));
    }
    HotTier wide = HotTier.create(1000, Duration.ofMinutes(1), () -> 0L);
    wide.fill(keys, records);
    assertEquals(records, wide.peek(keys));
    List<TierKey> copies = new ArrayList<>();
    for (TierKey key : keys) {
      copies.add(new TierKey(new String(key.view()), new String(key.entityKey())));
    }
    assertEquals(records, wide.peek(copies), "equal keys of other String instances");
    assertEquals(keys.size(), wide.size());
  }
}
