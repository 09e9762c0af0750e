package io.freshet.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parseMillis_eachUnit_convertsToMilliseconds() {
    assertEquals(500L, Durations.parseMillis("500ms"));
    assertEquals(30_000L, Durations.parseMillis("30s"));
    assertEquals(300_000L, Durations.parseMillis("5m"));
    assertEquals(7_200_000L, Durations.parseMillis("2h"));
    assertEquals(2_592_000_000L, Durations.parseMillis("30d"));
  }

  @Test
  void parseMillis_largestThatFits_accepted() {
    assertEquals(Long.MAX_VALUE, Durations.parseMillis(Long.MAX_VALUE + "ms"));
  }

  @Test
  void parseMillis_malformed_refusedWithExpectedForm() {
    for (String text :
        new String[] {"", "5", "m", "0s", "05m", "-1s", "1.5h", "5 m", " 5m", "5M", "1w", "5mm"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis(text), text);
      assertTrue(e.getMessage().contains("malformed duration '" + text + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("ms, s, m, h or d"), e.getMessage());
    }
  }

  @Test
  void parseMillis_null_refused() {
    assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis(null));
  }

  @Test
  void parseMillis_productOverflowsLong_refused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis("200000000000d"));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
  }

  @Test
  void parseMillis_numberOverflowsLong_refused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Durations.parseMillis("99999999999999999999ms"));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
  }
}
