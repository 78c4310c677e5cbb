// Fleet-scale cluster operations against a running platform (./strata up).
//   java bench/ClusterFleet.java [clusters] [profileUrl] [clusterUrl]
// 1. register N simulated clusters (16 concurrent clients): clusters/s
// 1b. register N more through POST /api/v1/clusters/bulk/register (batches of 500, 4 clients)
//    then waits until the reconciler has converged all of them (time printed)
// 2. bulk attach a new version to all N by selector: time to the 202, time until every
//    generation is appended (the operation's finishedAt, polled), time until all converged
// 3. an in-place update of that version: time until the pending update is visible on the
//    clusters (one projected event makes it visible on all), and a count of every one showing it
// 4. bulk rollback of all N by selector (toGeneration 1): time to the 202, time until done
// From 2,000 clusters on, the same steps run first with a tenth of N as a warm-up, printed apart.
// Authenticates with STRATA_TOKEN, or the admin key in .strata/admin-token. JDK only.
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class ClusterFleet {
  static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static String profiles;
  static String clusters;
  static String auth;
  static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
  static final Pattern OP = Pattern.compile("\"operationId\":\"([^\"]+)\"");
  static final Pattern NEXT = Pattern.compile("\"next\":\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    profiles = args.length > 1 ? args[1] : "http://localhost:8081";
    clusters = args.length > 2 ? args[2] : "http://localhost:8082";
    String token = System.getenv().getOrDefault("STRATA_TOKEN", "");
    if (token.isEmpty()) token = Files.readString(Path.of(".strata/admin-token")).strip();
    auth = "Bearer " + token;
    // the services' JIT compilers take minutes of load to settle after a start (first runs are
    // 1.5-2x slower); a tenth of the fleet through every step first, reported apart
    if (n >= 2000) {
      System.out.printf("warm-up with %d clusters (not the result):%n", n / 10);
      scenario(n / 10, "  ");
      System.out.printf("measured with %d clusters:%n", n);
    }
    scenario(n, "");
  }

  static void scenario(int n, String indent) throws Exception {
    PrintStream out = new PrintStream(System.out, true) {
      @Override
      public PrintStream printf(String format, Object... args) {
        return super.printf(indent + format, args);
      }
    };
    String run = UUID.randomUUID().toString().substring(0, 6);

    String layers = "\"variables\":[{\"name\":\"replicas\",\"type\":\"number\",\"default\":\"2\"}],"
        + "\"layers\":[{\"name\":\"app\",\"type\":\"manifest\",\"manifests\":[{\"name\":\"d\",\"content\":"
        + "\"apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: web}\\nspec: {replicas: {{ .strata.var.replicas }}}\\n\"}]}]";
    HttpResponse<String> p = send("POST", profiles + "/api/v1/profiles",
        "{\"name\":\"fleet-" + run + "\",\"type\":\"addon\",\"version\":\"1.0.0\"," + layers + "}", null);
    Matcher m = ID.matcher(p.body());
    if (p.statusCode() != 201 || !m.find()) throw new IllegalStateException(p.statusCode() + " " + p.body());
    String profile = m.group(1);

    // wait until cluster-service has projected the profile
    String first = "{\"name\":\"f" + run + "-0\",\"labels\":{\"bench\":\"" + run + "\"},\"profiles\":[{\"profileId\":\"" + profile + "\",\"version\":\"1.0.0\"}]}";
    long deadline = System.currentTimeMillis() + 30_000;
    while (send("POST", clusters + "/api/v1/clusters", first, null).statusCode() != 201) {
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("profile never reached cluster-service");
      Thread.sleep(100);
    }

    // 1. register
    ExecutorService pool = Executors.newFixedThreadPool(16);
    long s = System.nanoTime();
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      String body = "{\"name\":\"f" + run + "-" + i + "\",\"labels\":{\"bench\":\"" + run + "\",\"shard\":\"s" + (i % 10)
          + "\"},\"profiles\":[{\"profileId\":\"" + profile + "\",\"version\":\"1.0.0\"}]}";
      results.add(pool.submit(() -> send("POST", clusters + "/api/v1/clusters", body, null).statusCode()));
    }
    long failures = 0;
    for (Future<Integer> f : results) if (f.get() != 201) failures++;
    double secs = (System.nanoTime() - s) / 1e9;
    pool.shutdown();
    out.printf("register: %d clusters in %.1f s = %.0f clusters/s (%d failures)%n", n - 1, secs, (n - 1) / secs, failures);

    // 1b. batch registration (a fleet import)
    ExecutorService importers = Executors.newFixedThreadPool(4);
    List<Future<Integer>> batches = new ArrayList<>();
    s = System.nanoTime();
    for (int from = 0; from < n; from += 500) {
      StringBuilder body = new StringBuilder("{\"clusters\":[");
      for (int i = from; i < Math.min(n, from + 500); i++) {
        if (i > from) body.append(',');
        body.append("{\"name\":\"i").append(run).append('-').append(i).append("\",\"labels\":{\"import\":\"").append(run)
            .append("\"},\"profiles\":[{\"profileId\":\"").append(profile).append("\",\"version\":\"1.0.0\"}]}");
      }
      body.append("]}");
      batches.add(importers.submit(() -> send("POST", clusters + "/api/v1/clusters/bulk/register", body.toString(), null).statusCode()));
    }
    failures = 0;
    for (Future<Integer> f : batches) if (f.get() != 201) failures++;
    secs = (System.nanoTime() - s) / 1e9;
    importers.shutdown();
    out.printf("batch register: %d clusters in %.1f s = %.0f clusters/s (%d failed batches)%n", n, secs, n / secs, failures);

    // the reconciler converges every new cluster: let it finish before timing the bulk operations
    long w = System.nanoTime();
    awaitSettled("bench%3D" + run);
    awaitSettled("import%3D" + run);
    out.printf("reconciler: the %d new clusters all converged %.1f s after the last registration%n", 2 * n, (System.nanoTime() - w) / 1e9);

    // 2. bulk attach 1.1.0
    check(send("POST", profiles + "/api/v1/profiles/" + profile + "/versions", "{\"version\":\"1.1.0\"," + layers + "}", null), 201);
    Thread.sleep(1000); // let cluster-service project the new version
    bulk(out, "bulk attach 1.1.0", "/api/v1/clusters/bulk/profiles",
        "{\"selector\":\"bench=" + run + "\",\"profiles\":[{\"profileId\":\"" + profile + "\",\"version\":\"1.1.0\"}]}", n);

    w = System.nanoTime();
    awaitSettled("bench%3D" + run);
    out.printf("reconciler: %d clusters converged on 1.1.0 %.1f s after the last generation was appended%n", n, (System.nanoTime() - w) / 1e9);

    // 3. pending update fan-out
    String updated = layers.replace("\\\"2\\\"", "\\\"3\\\"").replace("\"default\":\"2\"", "\"default\":\"3\"");
    long u = System.nanoTime();
    check(send("PUT", profiles + "/api/v1/profiles/" + profile + "/versions/1.1.0", "{" + updated + "}", "\"1\""), 200);
    String last = clusters + "/api/v1/clusters?selector=bench%3D" + run + "%2Cshard%3Ds9&pendingUpdates=true&limit=1";
    while (!send("GET", last, null, null).body().contains("\"toRevision\":2")) Thread.sleep(20);
    double visible = (System.nanoTime() - u) / 1e9;
    int count = countPending(run);
    out.printf("pending update: visible %.2f s after the update was accepted; %d of %d clusters list it (counted in %.1f s)%n",
        visible, count, n, (System.nanoTime() - u) / 1e9 - visible);

    // 4. bulk rollback
    bulk(out, "bulk rollback", "/api/v1/clusters/bulk/rollback", "{\"selector\":\"bench=" + run + "\",\"toGeneration\":1}", n);
  }

  static void bulk(PrintStream out, String what, String path, String body, int n) throws Exception {
    long s = System.nanoTime();
    HttpResponse<String> r = send("POST", clusters + path, body, null);
    double answered = (System.nanoTime() - s) / 1e9;
    check(r, 202);
    Matcher m = OP.matcher(r.body());
    m.find();
    String op = m.group(1);
    String progress;
    while (!(progress = send("GET", clusters + "/api/v1/clusters/bulk/" + op, null, null).body()).contains("\"finishedAt\":\"")) {
      Thread.sleep(200);
    }
    double done = (System.nanoTime() - s) / 1e9;
    Matcher counts = Pattern.compile("\"counts\":(\\{[^}]*\\})").matcher(progress);
    counts.find();
    out.printf("%s over %d clusters: 202 in %.2f s, every generation appended in %.1f s %s%n", what, n, answered, done, counts.group(1));
  }

  /** Until no cluster of the selector is Pending or Reconciling. */
  static void awaitSettled(String selector) throws Exception {
    for (String phase : List.of("Pending", "Reconciling")) {
      while (send("GET", clusters + "/api/v1/clusters?selector=" + selector + "&phase=" + phase + "&limit=1", null, null)
          .body().contains("\"id\"")) {
        Thread.sleep(500);
      }
    }
  }

  static int countPending(String run) throws Exception {
    int count = 0;
    String after = "";
    while (true) {
      String body = send("GET", clusters + "/api/v1/clusters?selector=bench%3D" + run + "&pendingUpdates=true&limit=500" + after, null, null).body();
      int i = 0;
      while ((i = body.indexOf("\"toRevision\":2", i) + 1) > 0) count++;
      Matcher next = NEXT.matcher(body);
      if (!next.find()) return count;
      after = "&after=" + next.group(1);
    }
  }

  static void check(HttpResponse<String> r, int status) {
    if (r.statusCode() != status) throw new IllegalStateException(r.statusCode() + " " + r.body());
  }

  static HttpResponse<String> send(String method, String url, String body, String ifMatch) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).timeout(Duration.ofSeconds(60));
    if (ifMatch != null) b.header("If-Match", ifMatch);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
