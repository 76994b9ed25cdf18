package io.minify.samples.javahttp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * minify sample: a JDK-only HTTP server.
 *
 * <p>{@code /lazy} opens a plugin jar with its own class loader and reads a data file, both
 * only when the route is hit, so a slim image built without probing {@code /lazy} would be
 * missing them.
 */
public final class JavaHttpApp {

    static final String PLUGIN_CLASS = "io.minify.samples.javahttp.plugin.LazyPlugin";

    private static final List<String[]> ITEMS = List.of(
            new String[] {"1", "apple", "3"},
            new String[] {"2", "banana", "2"},
            new String[] {"3", "cherry", "7"});

    private final Path home;

    JavaHttpApp(Path home) {
        this.home = home;
    }

    public static void main(String[] args) throws IOException {
        Path home = Path.of(System.getenv().getOrDefault("APP_HOME", "/app"));
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        JavaHttpApp app = new JavaHttpApp(home);
        HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 0);
        server.createContext("/", app::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
        server.start();
        System.out.println("java-http listening on " + port);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (Exception e) {
            send(ex, 500, "text/plain", "error: " + e + "\n");
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws Exception {
        {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            if (method.equals("POST") && path.equals("/echo")) {
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readAllBytes();
                }
                String text = new String(body, StandardCharsets.UTF_8);
                send(ex, 200, "application/json",
                        "{\"echo\":" + json(text) + ",\"length\":" + body.length + "}");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(ex, 405, "text/plain", "method not allowed\n");
                return;
            }
            switch (path) {
                case "/" -> send(ex, 200, "text/html",
                        "<html><body><h1>java-http sample</h1><a href=\"/health\">health</a> "
                                + "<a href=\"/api/items\">items</a> <a href=\"/lazy\">lazy</a></body></html>");
                case "/health" -> send(ex, 200, "text/plain", "ok\n");
                case "/api/items" -> send(ex, 200, "application/json", itemsJson());
                case "/lazy" -> send(ex, 200, "application/json", lazy());
                case "/time" -> send(ex, 200, "application/json",
                        "{\"time\":" + System.currentTimeMillis() + "}");
                case "/started" -> send(ex, 200, "text/html",
                        "<html><body><h1>java-http sample</h1><dl><dt>started</dt><dd>" + STARTED
                                + "</dd><dt>message of the day</dt><dd>" + motd() + "</dd></dl></body></html>");
                default -> {
                    if (path.startsWith("/api/items/")) {
                        String id = path.substring("/api/items/".length());
                        for (String[] it : ITEMS) {
                            if (it[0].equals(id)) {
                                send(ex, 200, "application/json", itemJson(it));
                                return;
                            }
                        }
                        send(ex, 404, "application/json", "{\"error\":\"no such item\"}");
                    } else {
                        send(ex, 404, "text/plain", "not found\n");
                    }
                }
            }
        }
    }

    /**
     * When this process started, to the millisecond and always as long: the same within a run,
     * another in the next even when two runs start within one second (a slim run and the
     * original's second run can), so a test of run-dependent pages never sees two runs agree.
     */
    private static final String STARTED = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());

    /** The message of the day, read at each request; the error a user would see where the file is missing. */
    private String motd() {
        try {
            return Files.readString(home.resolve("data/motd.txt"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "cannot read the message of the day: " + e;
        }
    }

    /** Loads the plugin jar and reads the data file: only here, on demand. */
    @SuppressWarnings("unchecked")
    private String lazy() throws Exception {
        List<String> quotes = Files.readAllLines(home.resolve("data/quotes.txt"), StandardCharsets.UTF_8);
        URL jar = home.resolve("plugins/plugin.jar").toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar}, JavaHttpApp.class.getClassLoader())) {
            Class<?> cls = Class.forName(PLUGIN_CLASS, true, loader);
            Function<List<String>, String> plugin =
                    (Function<List<String>, String>) cls.getDeclaredConstructor().newInstance();
            return plugin.apply(quotes);
        }
    }

    private static String itemsJson() {
        StringBuilder sb = new StringBuilder("{\"items\":[");
        for (int i = 0; i < ITEMS.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(itemJson(ITEMS.get(i)));
        }
        return sb.append("],\"count\":").append(ITEMS.size()).append('}').toString();
    }

    private static String itemJson(String[] it) {
        return "{\"id\":" + it[0] + ",\"name\":" + json(it[1]) + ",\"price\":" + it[2] + "}";
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
