package io.minify.samples.javahttp.plugin;

import java.util.List;
import java.util.function.Function;

/**
 * Packaged in its own jar (classifier {@code plugin}) and loaded by the app with a separate
 * class loader only when {@code /lazy} is hit.
 */
public final class LazyPlugin implements Function<List<String>, String> {

    @Override
    public String apply(List<String> quotes) {
        long nonEmpty = quotes.stream().filter(q -> !q.isBlank()).count();
        String first = quotes.stream().filter(q -> !q.isBlank()).findFirst().orElse("");
        return "{\"lazy\":\"plugin\",\"quotes\":" + nonEmpty + ",\"first\":\"" + first.replace("\"", "'") + "\"}";
    }
}
