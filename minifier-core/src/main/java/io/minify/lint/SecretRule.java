package io.minify.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A secret in {@code ENV} or {@code ARG}: a value given to a name that says it is one
 * ({@code DB_PASSWORD}, {@code API_KEY}, ...) or a value shaped like a known key (AWS,
 * GitHub, Slack, Stripe, Google, GitLab, a PEM private key). ENV values are in the image's
 * config; ARG values in its history. An ARG without a value is still passed on the
 * command line and recorded in the history of the image that uses it (warning, shipped stages).
 * Names that point at a secret ({@code PASSWORD_FILE}) are not secrets.
 */
final class SecretRule implements LintRule {
  private static final Pattern SECRET_NAME = Pattern.compile(
      ".*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH_?KEY).*");
  private static final Pattern POINTER = Pattern.compile(".*_(FILE|FILES|PATH|DIR|LOCATION|URL|ENDPOINT|TTL|EXPIRY"
      + "|EXPIRES|LENGTH|TIMEOUT|HEADER|NAME|ID|TYPE)");
  private static final Pattern SECRET_VALUE = Pattern.compile(".*(AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}"
      + "|-----BEGIN [A-Z ]*PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}"
      + "|xox[abpr]-[A-Za-z0-9-]{10,}|sk_live_[0-9A-Za-z]{16,}|AIza[0-9A-Za-z_\\-]{35}|glpat-[0-9A-Za-z_\\-]{20,}).*",
      Pattern.DOTALL);

  @Override
  public String id() {
    return "secret-in-env";
  }

  @Override
  public Level level() {
    return Level.ERROR;
  }

  @Override
  public List<Finding> check(LintTarget target) {
    Dockerfile dockerfile = target.dockerfile();
    List<Instruction> shipped = new ArrayList<>();
    dockerfile.shippedChain().forEach(s -> shipped.addAll(s.instructions()));
    List<Finding> found = new ArrayList<>();
    for (Instruction instruction : dockerfile.instructions()) {
      if (!instruction.is("ENV") && !instruction.is("ARG")) {
        continue;
      }
      for (KeyValue kv : KeyValue.parse(instruction, dockerfile.escape())) {
        String name = kv.key().toUpperCase(Locale.ROOT);
        String value = kv.value().orElse("");
        boolean secretName = SECRET_NAME.matcher(name).matches() && !POINTER.matcher(name).matches();
        String fix = "pass it at run time (docker run -e, an orchestrator secret) or, for the build, RUN"
            + " --mount=type=secret,id=" + kv.key().toLowerCase(Locale.ROOT) + " and read /run/secrets/"
            + kv.key().toLowerCase(Locale.ROOT);
        if (SECRET_VALUE.matcher(value).matches()) {
          found.add(finding(instruction.line(), instruction.keyword() + " " + kv.key()
              + " holds a value shaped like a key: it is readable in the image's " + where(instruction), fix));
        } else if (secretName && !value.isEmpty()) {
          found.add(finding(instruction.line(), instruction.keyword() + " " + kv.key() + " gives a secret a value"
              + " in the Dockerfile: it is readable in the image's " + where(instruction), fix));
        } else if (secretName && instruction.is("ARG") && kv.value().isEmpty() && shipped.contains(instruction)) {
          found.add(new Finding(instruction.line(), Level.WARNING, id(), "ARG " + kv.key() + " takes a secret"
              + " with --build-arg: its value is recorded in the history of the image whose RUNs use it", fix));
        }
      }
    }
    return found;
  }

  private static String where(Instruction instruction) {
    return instruction.is("ENV") ? "config (docker inspect) and in every container's environment" : "history";
  }
}
