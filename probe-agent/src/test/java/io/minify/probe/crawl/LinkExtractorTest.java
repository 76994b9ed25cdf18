package io.minify.probe.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
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
  void linkRelationsPreloadsIconsAndManifestsAreFollowed() {
    String html = """
        <link rel=preload href="/fonts/body.woff2" as=font crossorigin>
        <link rel="modulepreload" href="./js/main.mjs">
        <link rel="prefetch" href="next.html">
        <link rel="icon" type="image/png" href="/favicon-32.png"><link rel="shortcut icon" href="/favicon.ico">
        <link rel="apple-touch-icon" href="/touch.png"><link rel="manifest" href="/site.webmanifest">
        <link rel="preload" as="image" imagesrcset="/hero-1x.jpg 1x, /hero-2x.jpg 2x">
        <link rel="preconnect" href="https://fonts.example.net">""";
    assertEquals(List.of("/fonts/body.woff2", "/p/js/main.mjs", "/p/next.html", "/favicon-32.png", "/favicon.ico",
        "/touch.png", "/site.webmanifest", "/hero-1x.jpg", "/hero-2x.jpg"),
        LinkExtractor.extract(html, "/p/index.html", 80));
  }

  @Test
  void srcsetOfImagesAndPictureSourcesGivesEveryCandidate() {
    String html = """
        <picture>
          <source type="image/webp" srcset="/img/a-480.webp 480w, /img/a-960.webp 960w">
          <source media="(min-width: 800px)" srcset="wide.jpg">
          <img src="/img/a.jpg" srcset="/img/a-1x.jpg 1x,/img/a-2x.jpg 2x , /img/a,comma.jpg 3x"
               alt="a">
        </picture>
        <img srcset="https://cdn.example.com/c.jpg 1x, data:image/png;base64,AAAA 2x, /img/own.png 3x">""";
    assertEquals(List.of("/img/a-480.webp", "/img/a-960.webp", "/gallery/wide.jpg", "/img/a.jpg", "/img/a-1x.jpg",
        "/img/a-2x.jpg", "/img/a,comma.jpg", "/img/own.png"), LinkExtractor.extract(html, "/gallery/", 80));
  }

  @Test
  void srcsetFollowsTheStandardsSplitting() {
    assertEquals(List.of("a.png", "b.png"), LinkExtractor.srcset("a.png, b.png"));
    assertEquals(List.of("a.png", "b.png"), LinkExtractor.srcset("  a.png 1x,b.png 2x  "));
    assertEquals(List.of("x,y.png", "z.png"), LinkExtractor.srcset("x,y.png 100w, z.png 200w"));
    assertEquals(List.of("a.png", "b.png"), LinkExtractor.srcset("a.png (odd, descriptor) 1x, b.png"));
    assertEquals(List.of(), LinkExtractor.srcset(" , "));
    assertEquals(List.of(), LinkExtractor.srcset(null));
  }

  @Test
  void cssOfStyleBlocksAndStyleAttributesIsRead() {
    String html = """
        <head><style>
          /* url(/commented.png) */
          @import "theme.css";
          @import url('/css/print.css') print;
          body { background: url(/img/bg.png) no-repeat; }
          .logo { background-image: url( "logo.svg" ); }
          .inline { background: url(data:image/gif;base64,R0lGOD); }
          .away { background: url(https://cdn.example.com/x.png); }
          a[href="<a href='/not-a-link'>"] { color: red }
        </style></head>
        <body style="background: url(&quot;/img/body.jpg&quot;)">
        <div style='mask: url(/img/mask.svg#m)'>x</div>
        <span style="color: red">no url</span></body>""";
    assertEquals(List.of("/site/theme.css", "/css/print.css", "/img/bg.png", "/site/logo.svg", "/img/body.jpg",
        "/img/mask.svg"), LinkExtractor.extract(html, "/site/page.html", 80));
  }

  @Test
  void scriptBodiesAreCodeNotMarkup() {
    String html = "<script src=\"/js/a.js\">document.write('<img src=\"/from-js.png\">')</script>"
        + "<script>var s = '<a href=\"/also-js\">';</script><a href=\"/real\">real</a>";
    assertEquals(List.of("/js/a.js", "/real"), LinkExtractor.extract(html, "/", 80));
  }

  @Test
  void stylesheetUrlsResolveAgainstTheStylesheetNotThePage() {
    String css = """
        @import 'base.css';
        @font-face { font-family: x; src: url(../fonts/x.woff2) format("woff2"), url('../fonts/x.woff'); }
        .a { background: url("img/a.png") } .b { background: URL(/abs/b.png) }
        .c { cursor: url(//localhost:8080/cursor.cur), auto; } .d { background: url(#svg-gradient) }
        .e { background: url(http://localhost:9090/other-port.png) }""";
    assertEquals(List.of("/static/css/base.css", "/static/fonts/x.woff2", "/static/fonts/x.woff",
        "/static/css/img/a.png", "/abs/b.png", "/cursor.cur", "/static/css/site.css"),
        LinkExtractor.extractCss(css, "/static/css/site.css", 8080));
  }

  @Test
  void redirectTargetsStayOnTheOrigin() {
    assertEquals(Optional.of("/docs/"), LinkExtractor.redirectTarget("/docs/", "/docs", 8080));
    assertEquals(Optional.of("/login?next=%2F"), LinkExtractor.redirectTarget(
        "http://localhost:8080/login?next=%2F", "/", 8080));
    assertEquals(Optional.of("/a/b"), LinkExtractor.redirectTarget("b", "/a/x", 8080));
    assertEquals(Optional.empty(), LinkExtractor.redirectTarget("https://sso.example.com/auth", "/", 8080));
    assertEquals(Optional.empty(), LinkExtractor.redirectTarget("http://localhost:9000/", "/", 8080));
  }

  @Test
  void malformedHtmlAndBadUrlsAreSkipped() {
    assertEquals(List.of("/ok"), LinkExtractor.extract("<a href=\"/bad path%zz\"><a href=/ok><a", "/", 80));
    assertEquals(List.of("/ok2"), LinkExtractor.extract("<style>a { background: url(/unclosed.png </style>"
        + "<img src=/ok2>", "/", 80));
  }
}
