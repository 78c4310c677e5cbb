// The reconciler at fleet scale, against a running platform (./strata up).
//   java bench/ReconcileFleet.java [clusters] [commands] [profileUrl] [clusterUrl] [reconcilerUrl]
// 1. a profile of 20 objects (10 ConfigMaps, 5 Deployments, 5 Services); N simulated clusters
//    registered in batches on 1.0.0; time until all converged
// 2. bulk attach 1.1.0 (every object changes) by selector: time from the call until every
//    cluster is Converged again, and where the reconciler's time went (render, apply, events:
//    sums of its strata_reconcile_phase timers over the run) and its heap
// 3. one cluster, [commands] times: PUT variables, then poll the reconciler until that
//    generation is Converged: p50/p99 of command-to-Converged
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class ReconcileFleet {
  static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static String profiles, clusters, reconciler, auth;
  static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
  static final Pattern OP = Pattern.compile("\"operationId\":\"([^\"]+)\"");
  static final Pattern GENERATION = Pattern.compile("\"generation\":(\\d+)");

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int commands = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    profiles = args.length > 2 ? args[2] : "http://localhost:8081";
    clusters = args.length > 3 ? args[3] : "http://localhost:8082";
    reconciler = args.length > 4 ? args[4] : "http://localhost:8083";
    String token = System.getenv().getOrDefault("STRATA_TOKEN", "");
    if (token.isEmpty()) token = Files.readString(Path.of(".strata/admin-token")).strip();
    auth = "Bearer " + token;
    String run = UUID.randomUUID().toString().substring(0, 6);

    HttpResponse<String> p = send("POST", profiles + "/api/v1/profiles",
        "{\"name\":\"rfleet-" + run + "\",\"type\":\"addon\",\"version\":\"1.0.0\"," + layers("v1") + "}");
    Matcher m = ID.matcher(p.body());
    if (p.statusCode() != 201 || !m.find()) throw new IllegalStateException(p.statusCode() + " " + p.body());
    String profile = m.group(1);
    check(send("POST", profiles + "/api/v1/profiles/" + profile + "/versions", "{\"version\":\"1.1.0\"," + layers("v2") + "}"), 201);

    // 1. register the fleet in batches, once cluster-service knows the profile
    String one = "{\"name\":\"probe-" + run + "\",\"labels\":{\"probe\":\"" + run + "\"},\"profiles\":[{\"profileId\":\"" + profile + "\",\"version\":\"1.0.0\"}]}";
    long deadline = System.currentTimeMillis() + 30_000;
    HttpResponse<String> probe;
    while ((probe = send("POST", clusters + "/api/v1/clusters", one)).statusCode() != 201) {
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("profile never reached cluster-service: " + probe.body());
      Thread.sleep(100);
    }
    Matcher pm = ID.matcher(probe.body());
    pm.find();
    String probeId = pm.group(1);
    ExecutorService importers = Executors.newFixedThreadPool(4);
    List<Future<Integer>> batches = new ArrayList<>();
    long s = System.nanoTime();
    for (int from = 0; from < n; from += 500) {
      StringBuilder body = new StringBuilder("{\"clusters\":[");
      for (int i = from; i < Math.min(n, from + 500); i++) {
        if (i > from) body.append(',');
        body.append("{\"name\":\"r").append(run).append('-').append(i).append("\",\"labels\":{\"rfleet\":\"").append(run)
            .append("\"},\"profiles\":[{\"profileId\":\"").append(profile).append("\",\"version\":\"1.0.0\"}]}");
      }
      body.append("]}");
      batches.add(importers.submit(() -> send("POST", clusters + "/api/v1/clusters/bulk/register", body.toString()).statusCode()));
    }
    for (Future<Integer> f : batches) if (f.get() != 201) throw new IllegalStateException("a batch failed: " + f.get());
    importers.shutdown();
    awaitSettled("rfleet%3D" + run);
    System.out.printf("register: %d clusters × 20 objects registered and converged in %.1f s%n", n, (System.nanoTime() - s) / 1e9);

    // 2. bulk attach 1.1.0
    Map<String, Double> before = metrics();
    s = System.nanoTime();
    HttpResponse<String> r = send("POST", clusters + "/api/v1/clusters/bulk/profiles",
        "{\"selector\":\"rfleet=" + run + "\",\"profiles\":[{\"profileId\":\"" + profile + "\",\"version\":\"1.1.0\"}]}");
    check(r, 202);
    Matcher op = OP.matcher(r.body());
    op.find();
    while (!send("GET", clusters + "/api/v1/clusters/bulk/" + op.group(1), null).body().contains("\"finishedAt\":\"")) Thread.sleep(100);
    double appended = (System.nanoTime() - s) / 1e9;
    awaitSettled("rfleet%3D" + run);
    double converged = (System.nanoTime() - s) / 1e9;
    boolean failed = send("GET", clusters + "/api/v1/clusters?selector=rfleet%3D" + run + "&phase=Failed&limit=1", null).body().contains("\"id\"");
    Map<String, Double> after = metrics();
    System.out.printf("bulk attach 1.1.0 over %d clusters × 20 objects: every generation appended %.1f s, all Converged %.1f s after the call%s%n",
        n, appended, converged, failed ? " (SOME FAILED)" : "");
    double reconciles = delta(before, after, "strata_reconcile_phase_seconds_count{phase=\"apply\",target=\"simulated\"}");
    for (String phase : List.of("render", "apply", "record")) {
      String sum = "strata_reconcile_phase_seconds_sum{phase=\"" + phase + "\",target=\"simulated\"}";
      String count = "strata_reconcile_phase_seconds_count{phase=\"" + phase + "\",target=\"simulated\"}";
      double total = delta(before, after, sum);
      double calls = delta(before, after, count);
      System.out.printf("  reconciler %-6s %7.1f s in %6.0f calls (%.2f ms each)%n", phase, total, calls, calls == 0 ? 0 : total * 1000 / calls);
    }
    System.out.printf("  %.0f reconciles; reconciler heap used %.0f MiB (committed %.0f MiB)%n", reconciles,
        sumOf(after, "jvm_memory_used_bytes{area=\"heap\"") / 1048576, sumOf(after, "jvm_memory_committed_bytes{area=\"heap\"") / 1048576);

    // 3. command to Converged, one cluster
    long[] nanos = new long[commands];
    for (int i = 0; i < commands; i++) {
      long c = System.nanoTime();
      HttpResponse<String> set = send("PUT", clusters + "/api/v1/clusters/" + probeId + "/variables",
          "{\"variables\":{\"replicas\":\"" + (i % 7 + 1) + "\"}}");
      check(set, 200);
      Matcher g = GENERATION.matcher(set.body());
      g.find();
      String want = "\"generation\":" + g.group(1) + ",\"phase\":\"Converged\"";
      while (!send("GET", reconciler + "/api/v1/reconciliations/" + probeId, null).body().contains(want)) Thread.sleep(2);
      nanos[i] = System.nanoTime() - c;
    }
    Arrays.sort(nanos);
    System.out.printf("command to Converged (one simulated cluster, %d commands): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
        commands, nanos[commands / 2] / 1e6, nanos[(int) (commands * 0.99)] / 1e6, nanos[commands - 1] / 1e6);
  }

  /** 10 ConfigMaps, 5 Deployments, 5 Services; {@code tag} changes every one of them. */
  static String layers(String tag) {
    StringBuilder m = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      if (i > 0) m.append(',');
      String content = i < 10
          ? "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: cfg-" + i + ", namespace: shop}\\ndata: {tag: " + tag + "}\\n"
          : i < 15
              ? "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: app-" + i + ", namespace: shop}\\nspec: {replicas: {{ .strata.var.replicas }}, template: {metadata: {labels: {tag: " + tag + "}}}}\\n"
              : "apiVersion: v1\\nkind: Service\\nmetadata: {name: svc-" + i + ", namespace: shop, labels: {tag: " + tag + "}}\\nspec: {ports: [{port: 80}]}\\n";
      m.append("{\"name\":\"m").append(i).append("\",\"content\":\"").append(content).append("\"}");
    }
    return "\"variables\":[{\"name\":\"replicas\",\"type\":\"number\",\"default\":\"2\"}],"
        + "\"layers\":[{\"name\":\"app\",\"type\":\"manifest\",\"manifests\":[" + m + "]}]";
  }

  /** Until no cluster of the selector is Pending or Reconciling. */
  static void awaitSettled(String selector) throws Exception {
    for (String phase : List.of("Pending", "Reconciling")) {
      while (send("GET", clusters + "/api/v1/clusters?selector=" + selector + "&phase=" + phase + "&limit=1", null)
          .body().contains("\"id\"")) {
        Thread.sleep(100);
      }
    }
  }

  static Map<String, Double> metrics() throws Exception {
    Map<String, Double> out = new HashMap<>();
    for (String line : send("GET", reconciler + "/q/metrics", null).body().split("\n")) {
      if (line.startsWith("#") || line.isBlank()) continue;
      int space = line.lastIndexOf(' ');
      try {
        out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      } catch (NumberFormatException ignored) {
        // a sample we do not read
      }
    }
    return out;
  }

  static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
  }

  static double sumOf(Map<String, Double> samples, String prefix) {
    return samples.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
  }

  static void check(HttpResponse<String> r, int status) {
    if (r.statusCode() != status) throw new IllegalStateException(r.statusCode() + " " + r.body());
  }

  static HttpResponse<String> send(String method, String url, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).timeout(Duration.ofSeconds(60));
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
