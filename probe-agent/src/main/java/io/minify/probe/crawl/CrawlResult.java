package io.minify.probe.crawl;

import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import java.util.List;

/**
 * What a crawl fetched, in fetch order.
 *
 * @param pages     every request made, seeds first
 * @param truncated whether a bound (depth or pages) left links unvisited
 */
public record CrawlResult(List<Page> pages, boolean truncated) {

  public CrawlResult {
    pages = List.copyOf(pages);
  }

  /** One fetched URL and the link hops from its seed. */
  public record Page(HttpProbe probe, int depth, HttpFetch fetch) {}
}
