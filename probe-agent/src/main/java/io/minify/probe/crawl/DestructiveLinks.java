package io.minify.probe.crawl;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Links a crawl never follows: ones that look like they end a session or change state.
 * Crawling is on by default and runs against the user's app (perhaps with its real data in
 * a mounted volume), and plenty of apps still log out or delete on a GET: one crawl of
 * {@code /logout} or {@code /items/3/delete} would change what every later probe sees, and
 * the slim image would be verified against a different app. Judged by the words of the
 * path and query (split at punctuation and camelCase), never by fetching.
 */
public final class DestructiveLinks {

  /** One word is enough: "/logout", "/user/delete?id=3", "/cache/purge", "?action=remove". */
  private static final Set<String> WORDS = Set.of("logout", "logoff", "signout", "signoff", "delete", "remove",
      "destroy", "drop", "purge", "reset", "shutdown", "restart", "reboot", "uninstall", "unsubscribe",
      "deactivate", "kill", "wipe", "truncate", "revoke");
  /** Two words in a row: "/log-out", "/sign_out", "/logOff". */
  private static final List<List<String>> PAIRS = List.of(List.of("log", "out"), List.of("log", "off"),
      List.of("sign", "out"), List.of("sign", "off"));
  private static final Pattern WORD_BREAK = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");

  private DestructiveLinks() {}

  /** The word that makes {@code target} ("/path?query") look destructive, if any. */
  public static Optional<String> word(String target) {
    List<String> words = WORD_BREAK.splitAsStream(target).filter(w -> !w.isEmpty())
        .map(w -> w.toLowerCase(Locale.ROOT)).toList();
    for (int i = 0; i < words.size(); i++) {
      if (WORDS.contains(words.get(i))) {
        return Optional.of(words.get(i));
      }
      for (List<String> pair : PAIRS) {
        if (i + 1 < words.size() && words.get(i).equals(pair.get(0)) && words.get(i + 1).equals(pair.get(1))) {
          return Optional.of(pair.get(0) + "-" + pair.get(1));
        }
      }
    }
    return Optional.empty();
  }
}
