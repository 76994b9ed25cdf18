package io.minify.probe.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinkExtractorTest {

  @Test
  void extractsSameOriginLinksOfEveryKindInPageOrder() {
    String html = """
        <html><head><link rel="stylesheet" href="/css/site.css"><script src='app.js'></script>
        <BASE HREF="/docs/"></head><body>
        <a href="guide.html#intro">guide</a> <A HREF=../about?x=1&amp;y=2>about</A>
        <img src="http://localhost:8080/img/a.png"> <img src="//127.0.0.1:8080/img/b.png">
        <form action="/search"></form><form method="POST" action="/login"></form><form method=get></form>
        <!-- <a href="/commented-out">x</a> -->
        <a href="https://cdn.example.com/x.js">cdn</a> <a href="mailto:a@b.c">mail</a>
        <a href="http://localhost:9999/other-port">other</a> <a href="javascript:void(0)">js</a>
        </body></html>""";
    assertEquals(List.of("/css/site.css", "/app/app.js", "/docs/guide.html", "/about?x=1&y=2", "/img/a.png",
        "/img/b.png", "/search", "/docs/"), LinkExtractor.extract(html, "/app/index.html", 8080));
  }

  @Test
  void malformedHtmlAndBadUrlsAreSkipped() {
    assertEquals(List.of("/ok"), LinkExtractor.extract("<a href=\"/bad path%zz\"><a href=/ok><a", "/", 80));
  }
}
