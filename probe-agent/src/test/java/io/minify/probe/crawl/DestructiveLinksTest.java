package io.minify.probe.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DestructiveLinksTest {

  @Test
  void sessionEndingAndStateChangingLinksAreRecognised() {
    assertEquals(Optional.of("logout"), DestructiveLinks.word("/logout"));
    assertEquals(Optional.of("logout"), DestructiveLinks.word("/account/logout.php?next=/"));
    assertEquals(Optional.of("log-out"), DestructiveLinks.word("/log-out"));
    assertEquals(Optional.of("sign-out"), DestructiveLinks.word("/users/sign_out"));
    assertEquals(Optional.of("log-off"), DestructiveLinks.word("/session/logOff"));
    assertEquals(Optional.of("sign-out"), DestructiveLinks.word("/SignOut"));
    assertEquals(Optional.of("signout"), DestructiveLinks.word("/signout"));
    assertEquals(Optional.of("delete"), DestructiveLinks.word("/items/3/delete"));
    assertEquals(Optional.of("delete"), DestructiveLinks.word("/item?id=3&action=delete"));
    assertEquals(Optional.of("delete"), DestructiveLinks.word("/api/deleteUser?id=1"));
    assertEquals(Optional.of("drop"), DestructiveLinks.word("/db.php?drop=table"));
    assertEquals(Optional.of("purge"), DestructiveLinks.word("/cache/purge"));
    assertEquals(Optional.of("reset"), DestructiveLinks.word("/admin/reset-all"));
  }

  @Test
  void ordinaryLinksAreFollowed() {
    for (String link : new String[] {"/", "/login", "/blog/2024/deleted-scenes-review", "/dropdown.js",
        "/catalog?page=2", "/logo.png", "/signup", "/api/items/3", "/removal-policy.html", "/assets/app.css"}) {
      assertEquals(Optional.empty(), DestructiveLinks.word(link), link);
    }
  }
}
