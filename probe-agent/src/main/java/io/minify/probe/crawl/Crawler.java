package io.minify.probe.crawl;

import io.minify.probe.HttpBody;
import io.minify.probe.HttpFetch;
import io.minify.probe.HttpProbe;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Breadth-first crawl of an app from seed pages: the same-origin links and assets of every
 * HTML page and stylesheet, and same-origin redirect targets, are fetched, level by level,
 * up to {@code maxDepth} link hops from a seed and {@code maxPages} requests in all. A level is
 * fetched by a {@link LevelFetcher}, which may send its requests side by side (by default at
 * most {@code concurrency} in flight: fast, yet gentle on a small app); the pages, their order
 * and the bounds are the crawl's alone, so the same site gives the same pages in the same
 * order however the requests were sent.
 *
 * <p>What a crawl never does, since it runs by default: leave the origin (same port, same
 * protocol as the seed, localhost only), send anything but GET, follow a link that looks
 * destructive ({@link DestructiveLinks}: it is reported as skipped), read more than
 * {@link #MAX_PAGE_BYTES} of a body for links, or read links from anything but HTML and CSS.
 */
public final class Crawler {

  /** Body bytes read from a page to find its links. */
  public static final int MAX_PAGE_BYTES = 2 << 20;

  private final LevelFetcher fetcher;
  private final CrawlLimits limits;

  /**
   * Sends the requests of one level of a crawl.
   */
  @FunctionalInterface
  public interface LevelFetcher {
    /**
     * Fetches every probe of {@code level} (GETs that read up to {@link #MAX_PAGE_BYTES} of the
     * body), in any order or side by side.
     *
     * @return one result per probe, in the order of {@code level}
     */
    List<HttpFetch> fetchAll(List<HttpProbe> level) throws InterruptedException;
  }

  /**
   * A crawler that fetches each level on threads of its own, {@code limits.concurrency()} of
   * them.
   *
   * @param fetcher sends a GET and returns its result with the page's first bytes; must be
   *                safe to call from several threads
   */
  public Crawler(Function<HttpProbe, HttpFetch> fetcher, CrawlLimits limits) {
    this((LevelFetcher) level -> fetchOnThreads(fetcher, level, limits.concurrency()), limits);
  }

  private Crawler(LevelFetcher fetcher, CrawlLimits limits) {
    this.fetcher = fetcher;
    this.limits = limits;
  }

  /**
   * A crawler whose levels {@code fetcher} sends (the probe driver's, with its own bounds and
   * clock); {@code limits.concurrency()} is then the fetcher's to keep.
   */
  public static Crawler byLevels(LevelFetcher fetcher, CrawlLimits limits) {
    return new Crawler(fetcher, limits);
  }

  /** Crawls from {@code seeds}; they are fetched too, as depth 0. */
  public CrawlResult crawl(List<HttpProbe> seeds) throws InterruptedException {
    // Probes are values: a link found twice is the same probe (every link is a GET without
    // headers or body, in the protocol of the page it was found on).
    Set<HttpProbe> seen = new HashSet<>();
    List<CrawlResult.Page> pages = new ArrayList<>();
    List<HttpProbe> level = new ArrayList<>();
    for (HttpProbe s : seeds) {
      if (seen.add(s)) {
        level.add(s);
      }
    }
    boolean truncated = false;
    List<String> skipped = new ArrayList<>();
    for (int depth = 0; depth <= limits.maxDepth() && !level.isEmpty(); depth++) {
      int room = limits.maxPages() - pages.size();
      if (level.size() > room) {
        level = level.subList(0, Math.max(0, room));
        truncated = true;
      }
      List<HttpFetch> fetched = fetcher.fetchAll(List.copyOf(level));
      if (fetched.size() != level.size()) {
        throw new IllegalStateException("the level fetcher answered " + fetched.size() + " of " + level.size()
            + " requests");
      }
      List<HttpProbe> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i++) {
        HttpFetch f = fetched.get(i);
        HttpProbe probe = level.get(i);
        pages.add(new CrawlResult.Page(probe, depth, f));
        for (String link : links(f, probe)) {
          HttpProbe linked = new HttpProbe(probe.protocol(), "GET", link, probe.containerPort(), Map.of(),
              HttpBody.empty());
          if (!seen.add(linked)) {
            continue;
          }
          if (DestructiveLinks.word(link).isPresent()) {
            skipped.add(linked.describe());
          } else {
            next.add(linked);
          }
        }
      }
      if (depth == limits.maxDepth() && !next.isEmpty()) {
        truncated = true;
      }
      if (pages.size() >= limits.maxPages() && !next.isEmpty()) {
        truncated = true;
        break;
      }
      level = next;
    }
    return new CrawlResult(pages, truncated, skipped);
  }

  /** One level on {@code threads} daemon threads of its own, which end with the level. */
  private static List<HttpFetch> fetchOnThreads(Function<HttpProbe, HttpFetch> fetcher, List<HttpProbe> level,
      int threads) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "minify-crawler");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<HttpFetch>> futures = new ArrayList<>();
      for (HttpProbe p : level) {
        futures.add(pool.submit(() -> fetcher.apply(p)));
      }
      List<HttpFetch> fetched = new ArrayList<>();
      for (Future<HttpFetch> f : futures) {
        fetched.add(get(f));
      }
      return fetched;
    } finally {
      pool.shutdownNow();
    }
  }

  /** What a fetched page links to: from HTML and CSS bodies, and a redirect's target. */
  private static List<String> links(HttpFetch f, HttpProbe page) {
    if (!f.result().answered()) {
      return List.of();
    }
    List<String> links = new ArrayList<>();
    if (f.isRedirect()) {
      LinkExtractor.redirectTarget(f.location(), page.path(), page.containerPort()).ifPresent(links::add);
    }
    if (f.isHtml()) {
      links.addAll(LinkExtractor.extract(f.bodyText(), page.path(), page.containerPort()));
    } else if (f.isCss()) {
      links.addAll(LinkExtractor.extractCss(f.bodyText(), page.path(), page.containerPort()));
    }
    return links;
  }

  private static HttpFetch get(Future<HttpFetch> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("crawler fetch failed: " + e.getCause(), e.getCause());
    }
  }
}
