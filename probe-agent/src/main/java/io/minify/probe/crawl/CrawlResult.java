package io.minify.probe.crawl;

import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import java.util.List;

/**
 * What a crawl fetched, in fetch order.
 *
 * @param pages     every request made, seeds first
 * @param truncated whether a bound (depth or pages) left links unvisited
 * @param skipped   links found but never followed because they look destructive
 *                  ("GET :8080/logout"), in the order found
 */
public record CrawlResult(List<Page> pages, boolean truncated, List<String> skipped) {

  public CrawlResult {
    pages = List.copyOf(pages);
    skipped = List.copyOf(skipped);
  }

  /** One fetched URL and the link hops from its seed. */
  public record Page(HttpProbe probe, int depth, HttpFetch fetch) {}
}
