package io.minify.probe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minify.probe.HttpProtocol;
import io.minify.probe.http.ProtocolNegotiation.Step;
import io.minify.probe.http.ProtocolNegotiation.Verdict;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every branch of the protocol choice, without a socket. */
class ProtocolNegotiationTest {

  private static final ProtocolNegotiation AUTO_PLAIN = ProtocolNegotiation.start(HttpProtocol.AUTO);
  private static final ProtocolNegotiation AUTO_TLS = new ProtocolNegotiation(HttpProtocol.HTTPS, false);
  private static final ProtocolNegotiation HTTP = ProtocolNegotiation.start(HttpProtocol.HTTP);
  private static final ProtocolNegotiation HTTPS = ProtocolNegotiation.start(HttpProtocol.HTTPS);

  private static final byte[] GO_PAGE = "Client sent an HTTP request to an HTTPS server.\n"
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NGINX_PAGE = ("<html><head><title>400 The plain HTTP request was sent to HTTPS port"
      + "</title></head></html>").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER_400 = "bad request".getBytes(StandardCharsets.US_ASCII);

  private static void assertStep(Verdict verdict, HttpProtocol next, boolean settled, Step step) {
    assertEquals(new Step(verdict, new ProtocolNegotiation(next, settled)), step);
  }

  @Test
  void autoStartsUnsettledOnPlainHttp() {
    assertEquals(new ProtocolNegotiation(HttpProtocol.HTTP, false), AUTO_PLAIN);
    assertFalse(AUTO_PLAIN.tls());
  }

  @Test
  void anExplicitProtocolIsSettledFromTheStart() {
    assertEquals(new ProtocolNegotiation(HttpProtocol.HTTP, true), HTTP);
    assertFalse(HTTP.tls());
    assertEquals(new ProtocolNegotiation(HttpProtocol.HTTPS, true), HTTPS);
    assertTrue(HTTPS.tls());
  }

  @Test
  void anAttemptIsNeverMadeInAuto() {
    assertThrows(IllegalArgumentException.class, () -> new ProtocolNegotiation(HttpProtocol.AUTO, false));
  }

  @Test
  void aResponseIsAccepted() {
    for (ProtocolNegotiation n : new ProtocolNegotiation[] {AUTO_PLAIN, AUTO_TLS, HTTP, HTTPS}) {
      assertEquals(new Step(Verdict.ACCEPT, n), n.afterResponse(200, new byte[0]), n.toString());
      assertEquals(new Step(Verdict.ACCEPT, n), n.afterResponse(400, OTHER_400), n.toString());
    }
  }

  @Test
  void thePlainHttpRejectionPagesOfGoAndNginxSwitchAutoToHttpsAtOnce() {
    assertStep(Verdict.RETRY_AT_ONCE, HttpProtocol.HTTPS, true, AUTO_PLAIN.afterResponse(400, GO_PAGE));
    assertStep(Verdict.RETRY_AT_ONCE, HttpProtocol.HTTPS, true, AUTO_PLAIN.afterResponse(400, NGINX_PAGE));
  }

  @Test
  void aRejectionPageIsAnAnswerWhenSettledOrOverTlsOrNotA400() {
    assertEquals(new Step(Verdict.ACCEPT, HTTP), HTTP.afterResponse(400, GO_PAGE), "the user asked for http");
    assertEquals(new Step(Verdict.ACCEPT, AUTO_TLS), AUTO_TLS.afterResponse(400, GO_PAGE), "already TLS");
    assertEquals(new Step(Verdict.ACCEPT, AUTO_PLAIN), AUTO_PLAIN.afterResponse(200, GO_PAGE), "a page about it");
  }

  @Test
  void aTlsRecordInReplyToPlainHttpSettlesOnHttpsAtOnce() {
    assertStep(Verdict.RETRY_AT_ONCE, HttpProtocol.HTTPS, true,
        AUTO_PLAIN.afterFailure(Attempt.Evidence.PEER_SPEAKS_TLS));
  }

  @Test
  void aPlainReplyToATlsHelloSettlesOnHttpAtOnce() {
    assertStep(Verdict.RETRY_AT_ONCE, HttpProtocol.HTTP, true,
        AUTO_TLS.afterFailure(Attempt.Evidence.PEER_SPEAKS_PLAIN));
  }

  @Test
  void aSilentCloseAlternatesTheProtocolAfterTheWait() {
    Step fromPlain = AUTO_PLAIN.afterFailure(Attempt.Evidence.SILENT_CLOSE);
    assertStep(Verdict.RETRY_AFTER_WAIT, HttpProtocol.HTTPS, false, fromPlain);
    assertStep(Verdict.RETRY_AFTER_WAIT, HttpProtocol.HTTP, false, fromPlain.then().afterFailure(
        Attempt.Evidence.SILENT_CLOSE));
  }

  @Test
  void aFailureThatSaysNothingKeepsTheProtocol() {
    assertEquals(new Step(Verdict.RETRY_AFTER_WAIT, AUTO_PLAIN), AUTO_PLAIN.afterFailure(Attempt.Evidence.NONE));
    assertEquals(new Step(Verdict.RETRY_AFTER_WAIT, AUTO_TLS), AUTO_TLS.afterFailure(Attempt.Evidence.NONE));
  }

  @Test
  void onceSettledNoEvidenceChangesTheProtocol() {
    for (ProtocolNegotiation settled : new ProtocolNegotiation[] {HTTP, HTTPS}) {
      for (Attempt.Evidence evidence : Attempt.Evidence.values()) {
        assertEquals(new Step(Verdict.RETRY_AFTER_WAIT, settled), settled.afterFailure(evidence),
            settled + " " + evidence);
      }
    }
  }

  @Test
  void rejectionPagesAreRecognisedByTheirWords() {
    assertTrue(ProtocolNegotiation.rejectsPlainHttp(400, GO_PAGE));
    assertTrue(ProtocolNegotiation.rejectsPlainHttp(400, NGINX_PAGE));
    assertFalse(ProtocolNegotiation.rejectsPlainHttp(400, OTHER_400));
    assertFalse(ProtocolNegotiation.rejectsPlainHttp(400, new byte[0]));
    assertFalse(ProtocolNegotiation.rejectsPlainHttp(404, NGINX_PAGE));
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 'H'};
    assertFalse(ProtocolNegotiation.rejectsPlainHttp(400, binary), "any bytes can be sniffed");
  }
}
