package io.minify.run;

import io.minify.probe.HttpProbe;
import io.minify.probe.HttpProtocol;
import io.minify.probe.ProbeResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP requests already sent to the original image, so that the crawl and the API spec
 * add only requests not made yet. Requests are compared as {@link HttpProbe} values, once
 * resolved to the protocol that went on the wire: a planned {@code GET /} in
 * {@link HttpProtocol#AUTO} that answered over plain HTTP is the same request as the
 * crawler's {@code GET /} in {@link HttpProtocol#HTTP}, and a spec operation in "auto" on a
 * port known to speak HTTPS is that operation in HTTPS. The crawl's pages are added from the
 * threads that fetch them.
 */
final class SentRequests {

  private final Set<HttpProbe> sent = new HashSet<>();
  /** The protocol each container port first answered in: the one the crawl seeds use too. */
  private final Map<Integer, HttpProtocol> spoken = new HashMap<>();

  /** Records a request that was sent and answered (a planned probe, before any {@link #add}). */
  synchronized void answered(ProbeResult result) {
    HttpProbe probe = result.probe();
    if (result.protocol() != null) {
      spoken.putIfAbsent(probe.containerPort(), result.protocol());
      probe = probe.inProtocol(result.protocol());
    }
    sent.add(probe);
  }

  /** Records {@code probe} as sent; false when an equal request was sent already. */
  synchronized boolean add(HttpProbe probe) {
    return sent.add(resolved(probe));
  }

  private HttpProbe resolved(HttpProbe probe) {
    HttpProtocol known = spoken.get(probe.containerPort());
    return probe.protocol() == HttpProtocol.AUTO && known != null ? probe.inProtocol(known) : probe;
  }
}
