// Profile command latency and throughput against a running platform (./strata up).
//   java bench/ProfileCommands.java [seconds] [profileUrl]
// 1. sustained: in-place updates at 200 requests/s (20 profiles x 10/s), p50/p99/max latency
// 2. peak: 32 concurrent writers, each on its own profile, for the same duration: updates/s
// 3. a ~1 MB version (500 manifests of 2 KB): create and export times
// Authenticates with STRATA_TOKEN, or the admin key in .strata/admin-token. JDK only.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class ProfileCommands {
  // HTTP/1.1 as curl and most scripts speak it (the JDK client would otherwise upgrade to h2c)
  static HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  static String base;
  static String auth;
  static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    base = args.length > 1 ? args[1] : "http://localhost:8081";
    String token = System.getenv().getOrDefault("STRATA_TOKEN", "");
    if (token.isEmpty()) token = Files.readString(Path.of(".strata/admin-token")).strip();
    auth = "Bearer " + token;
    String run = UUID.randomUUID().toString().substring(0, 6);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 32; i++) ids.add(create("bench-" + run + "-" + i, body(1, 200)));
    int[] revision = new int[32];
    Arrays.fill(revision, 1);

    // warm-up
    for (int i = 0; i < 200; i++) revision[i % 32] = update(ids.get(i % 32), revision[i % 32]).revision;

    // 1. sustained 200/s: 20 profiles, each updated every 100 ms
    ConcurrentLinkedQueue<Long> lat = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>("");
    var sched = Executors.newScheduledThreadPool(20, Thread.ofVirtual().factory());
    for (int p = 0; p < 20; p++) {
      int k = p;
      sched.scheduleAtFixedRate(() -> {
        try {
          Result r = update(ids.get(k), revision[k]);
          revision[k] = r.revision;
          lat.add(r.nanos);
        } catch (Exception e) {
          errors.incrementAndGet();
          firstError.compareAndSet("", e.toString());
        }
      }, p * 5L, 100, TimeUnit.MILLISECONDS);
    }
    Thread.sleep(seconds * 1000L);
    sched.shutdown(); // in-flight requests finish; interrupting them would count as errors
    sched.awaitTermination(5, TimeUnit.SECONDS);
    report(String.format("sustained (target 200/s, got %.0f/s)", lat.size() / (double) seconds), new ArrayList<>(lat));
    System.out.println("  errors: " + errors.get() + (errors.get() > 0 ? " (first: " + firstError.get() + ")" : ""));

    // 2. peak: 32 writers flat out
    AtomicLong done = new AtomicLong();
    ConcurrentLinkedQueue<Long> peakLat = new ConcurrentLinkedQueue<>();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < 32; w++) {
        int k = w;
        pool.submit(() -> {
          while (System.nanoTime() < end) {
            try {
              Result r = update(ids.get(k), revision[k]);
              revision[k] = r.revision;
              peakLat.add(r.nanos);
              done.incrementAndGet();
            } catch (Exception e) {
              errors.incrementAndGet();
            }
          }
          return null;
        });
      }
    }
    System.out.printf("peak in-place updates: %.0f/s with 32 writers%n", done.get() / (double) seconds);
    report("peak latency", new ArrayList<>(peakLat));

    // 3. a ~1 MB version
    String big = body(500, 2000);
    long t0 = System.nanoTime();
    String bigId = create("bench-" + run + "-big", big);
    long created = System.nanoTime() - t0;
    t0 = System.nanoTime();
    HttpResponse<String> exp = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/profiles/" + bigId + "/versions/1.0.0/export"))
        .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
    long exported = System.nanoTime() - t0;
    System.out.printf("1 MB version (%d bytes sent, %d bytes exported): create %.0f ms, export %.0f ms (status %d)%n",
        big.length(), exp.body().length(), created / 1e6, exported / 1e6, exp.statusCode());
  }

  record Result(int revision, long nanos) {}

  static String body(int manifests, int padding) {
    StringBuilder layers = new StringBuilder();
    for (int i = 0; i < manifests; i++) {
      if (i > 0) layers.append(',');
      layers.append("{\"name\":\"m").append(i).append("\",\"content\":\"apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: cm")
          .append(i).append("\\ndata:\\n  pad: '").append("x".repeat(padding)).append("'\\n\"}");
    }
    return "{\"layers\":[{\"name\":\"config\",\"type\":\"manifest\",\"manifests\":[" + layers + "]}]}";
  }

  static String create(String name, String layersBody) throws Exception {
    String body = "{\"name\":\"" + name + "\",\"type\":\"full\",\"version\":\"1.0.0\"," + layersBody.substring(1);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/profiles"))
        .header("Authorization", auth).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) throw new IllegalStateException(r.statusCode() + " " + r.body());
    Matcher m = ID.matcher(r.body());
    m.find();
    return m.group(1);
  }

  static Result update(String id, int revision) throws Exception {
    String body = body(1, 100 + (revision % 50));
    long s = System.nanoTime();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/profiles/" + id + "/versions/1.0.0"))
        .header("Authorization", auth).header("Content-Type", "application/json").header("If-Match", "\"" + revision + "\"")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    long t = System.nanoTime() - s;
    if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
    String etag = r.headers().firstValue("ETag").orElseThrow().replace("\"", "");
    return new Result(Integer.parseInt(etag), t);
  }

  static void report(String what, List<Long> nanos) {
    if (nanos.isEmpty()) { System.out.println(what + ": no samples"); return; }
    Collections.sort(nanos);
    System.out.printf("%s: n=%d p50 %.1f ms  p99 %.1f ms  max %.1f ms%n", what, nanos.size(),
        nanos.get(nanos.size() / 2) / 1e6, nanos.get((int) (nanos.size() * 0.99)) / 1e6, nanos.get(nanos.size() - 1) / 1e6);
  }
}
