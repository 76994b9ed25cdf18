package io.minify.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HttpBodyTest {

  @Test
  void equalBytesAreEqualBodies() {
    HttpBody one = HttpBody.of(new byte[] {1, 2, 3});
    HttpBody other = HttpBody.of(new byte[] {1, 2, 3});
    assertEquals(one, other);
    assertEquals(one.hashCode(), other.hashCode());
    assertNotEquals(one, HttpBody.of(new byte[] {1, 2, 4}));
    assertNotEquals(one, HttpBody.of(new byte[] {1, 2}));
    assertNotEquals(one, HttpBody.empty());
    assertNotEquals(one, null);
  }

  @Test
  void theBodyIsACopyBothWays() {
    byte[] given = {1, 2, 3};
    HttpBody body = HttpBody.of(given);
    given[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, body.bytes(), "changing the array given changes nothing");
    body.bytes()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, body.bytes(), "changing the array handed out changes nothing");
  }

  @Test
  void bytesThatAreNotTextStayTheSameBytes() {
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, (byte) 0x80, (byte) 0xc3};
    HttpBody body = HttpBody.of(binary);
    assertArrayEquals(binary, body.bytes());
    assertEquals(5, body.length());
    assertNotEquals(body, HttpBody.of(new byte[] {(byte) 0xff, (byte) 0xfe, 0, (byte) 0x81, (byte) 0xc3}),
        "two bodies that would both decode to replacement characters stay apart");
  }

  @Test
  void emptyIsOneValue() {
    assertSame(HttpBody.empty(), HttpBody.of(new byte[0]));
    assertTrue(HttpBody.empty().isEmpty());
    assertEquals(0, HttpBody.empty().length());
    assertFalse(HttpBody.of(new byte[] {0}).isEmpty());
  }

  @Test
  void toStringShowsTheLengthAndHexNeverText() {
    assertEquals("HttpBody[0 bytes]", HttpBody.empty().toString());
    assertEquals("HttpBody[2 bytes: 6869]", HttpBody.of(new byte[] {'h', 'i'}).toString());
    assertEquals("HttpBody[17 bytes: 00000000000000000000000000000000...]", HttpBody.of(new byte[17]).toString());
  }
}
