package io.minify.probe.crawl;

/**
 * Bounds of a crawl.
 *
 * @param maxDepth    link hops from a seed page (seeds are depth 0)
 * @param maxPages    requests in all, seeds included
 * @param concurrency requests in flight at once (to each port, when the probe driver sends them)
 */
public record CrawlLimits(int maxDepth, int maxPages, int concurrency) {

  public static final int DEFAULT_MAX_DEPTH = 3;
  public static final int DEFAULT_MAX_PAGES = 1000;
  public static final int DEFAULT_CONCURRENCY = 4;

  public CrawlLimits {
    if (maxDepth < 0 || maxPages < 1 || concurrency < 1) {
      throw new IllegalArgumentException("crawl limits must be positive: depth " + maxDepth + ", pages " + maxPages
          + ", concurrency " + concurrency);
    }
  }

  public static CrawlLimits defaults() {
    return new CrawlLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_PAGES, DEFAULT_CONCURRENCY);
  }
}
