package io.freshet.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void value_quotesOnlyWhatNeedsIt_andKeepsEmptyApartFromNull() {
    assertEquals("\"a,\"\"b\"\"\"", Csv.value("a,\"b\""));
    assertEquals("\"\"", Csv.value(""));
    assertEquals("", Csv.value(null));
    assertEquals("plain", Csv.value("plain"));
  }
}
