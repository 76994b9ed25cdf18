package io.minify.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each line keeps its unit: these are the texts the stage lines, tables and messages print. */
class ByteSizeTest {

  @Test
  void formatPicksTheUnitThatFits() {
    assertEquals("512 B", ByteSize.format(512));
    assertEquals("1.0 KiB", ByteSize.format(1024));
    assertEquals("93.5 MiB", ByteSize.format(98_041_856));
    assertEquals("1.5 GiB", ByteSize.format(3L << 29));
  }

  @Test
  void mibStaysInMib() {
    assertEquals("0.0 MiB", ByteSize.mib(512));
    assertEquals("93.5 MiB", ByteSize.mib(98_041_856));
    assertEquals("2048.0 MiB", ByteSize.mib(2L << 30));
  }

  @Test
  void megabytesAreDecimal() {
    assertEquals("0.0 MB", ByteSize.megabytes(0));
    assertEquals("12.3 MB", ByteSize.megabytes(12_345_678));
  }

  @Test
  void theSummaryTableShowsHundredthsOfAGib() {
    assertEquals("0.5 KiB", ByteSize.summaryTable(512));
    assertEquals("93.5 MiB", ByteSize.summaryTable(98_041_856));
    assertEquals("1.50 GiB", ByteSize.summaryTable(3L << 29));
  }
}
