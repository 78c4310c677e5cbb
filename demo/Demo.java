// ./strata demo — the canonical scenario, played against the running platform and narrated:
// web-stack 1.0.0 on five simulated clusters with an override on prod-1; 1.1.0 breaks prod;
// one bulk rollback brings it back; 1.1.1 fixes it; an in-place update shows as pending and is
// applied to one cluster; an out-of-band change is corrected; the audit tells the story.
// Only the public REST API, only the JDK. Requests are retried while a service restarts (POSTs
// keep their Idempotency-Key), so the scenario survives a service being killed mid-way.
// Environment: STRATA_HOME (.strata) for the admin key, or STRATA_TOKEN; STRATA_PORT_OFFSET.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;

public class Demo {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  static final Duration PATIENCE = Duration.ofSeconds(120); // for a service that restarts
  static String auth;
  static int offset;
  static final long T0 = System.nanoTime();

  static String profiles() { return "http://localhost:" + (8081 + offset); }
  static String clusters() { return "http://localhost:" + (8082 + offset); }
  static String reconciler() { return "http://localhost:" + (8083 + offset); }
  static String audit() { return "http://localhost:" + (8084 + offset); }

  public static void main(String[] args) throws Exception {
    offset = Integer.parseInt(System.getenv().getOrDefault("STRATA_PORT_OFFSET", "0"));
    String token = System.getenv().getOrDefault("STRATA_TOKEN", "");
    if (token.isEmpty()) {
      Path home = Path.of(System.getenv().getOrDefault("STRATA_HOME", ".strata"));
      token = Files.readString(home.resolve("admin-token")).strip();
    }
    auth = "Bearer " + token;

    step(1, "the platform is up");
    for (String base : List.of(profiles(), clusters(), reconciler(), audit())) {
      await("ready: " + base, Duration.ofSeconds(60), () -> status("GET", base + "/q/health/ready", null) == 200);
    }
    String suffix = freeSuffix();
    String stack = "web-stack" + suffix;
    say("playing as %s (the admin key); names end in '%s'", "admin", suffix.isEmpty() ? "(none)" : suffix);

    step(2, "the app team uploads its cache chart to the pack registry (linted by the real Helm engine)");
    Map<String, Object> pack = upload("web-cache", "0.1.0", chart("web-cache", "0.1.0"), "size: 64\n");
    say("pack web-cache 0.1.0 stored as %s", pack.getOrDefault("digest", "(already there)"));

    step(3, "%s 1.0.0: a Deployment and a Service, the cache chart, a variable 'replicas'", stack);
    Map<String, Object> profile = call("POST", profiles() + "/api/v1/profiles",
        "{\"name\":\"" + stack + "\",\"type\":\"full\",\"version\":\"1.0.0\"," + content("1.0.0", true, "") + "}", 201);
    String profileId = (String) profile.get("id");
    say("profile %s (%s), version 1.0.0 revision 1", stack, profileId);

    step(4, "five simulated clusters on 1.0.0, and an override replicas: 5 on prod-1");
    Map<String, String> ids = new LinkedHashMap<>();
    for (String name : List.of("prod-1", "prod-2", "prod-3", "stage-1", "stage-2")) {
      String env = name.substring(0, name.indexOf('-'));
      Map<String, Object> c = awaitCall("POST", clusters() + "/api/v1/clusters",
          "{\"name\":\"" + name + suffix + "\",\"labels\":{\"env\":\"" + env + "\",\"demo\":\"" + stack + "\"},"
              + "\"target\":{\"kind\":\"simulated\"},\"profiles\":[{\"profileId\":\"" + profileId + "\",\"version\":\"1.0.0\"}]}",
          201, "the profile reaches cluster-service");
      ids.put(name, (String) c.get("id"));
      say("registered %-8s %s  env=%s", name + suffix, c.get("id"), env);
    }
    call("PUT", clusters() + "/api/v1/clusters/" + ids.get("prod-1") + "/overrides/" + profileId + "/app",
        "{\"patches\":[{\"target\":{\"kind\":\"Deployment\",\"name\":\"web\"},\"patch\":{\"spec\":{\"replicas\":5}}}]}", 200);
    say("override on prod-1: Deployment/web spec.replicas = 5");
    for (Map.Entry<String, String> c : ids.entrySet()) awaitPhase(c.getKey(), c.getValue(), "Converged");
    say("all five Converged; prod-1 runs %s replicas, prod-2 runs %s", replicas(ids.get("prod-1")), replicas(ids.get("prod-2")));

    step(5, "the app team releases 1.1.0 and it goes to env=prod by selector: its web never becomes ready");
    call("POST", profiles() + "/api/v1/profiles/" + profileId + "/versions",
        "{\"version\":\"1.1.0\"," + content("1.1.0", false, "") + "}", 201);
    rollOutToProd(stack, profileId, "1.1.0");
    for (String c : List.of("prod-1", "prod-2", "prod-3")) {
      Map<String, Object> failed = awaitPhase(c, ids.get(c), "Failed");
      say("%s Failed: %s", c, path(failed, "status.message"));
    }
    Instant outage = Instant.now();
    say("outage at %s; stage is untouched", outage);

    step(6, "one action: roll back every cluster of env=prod to its last good generation");
    long rollback = System.nanoTime();
    awaitBulk(call("POST", clusters() + "/api/v1/clusters/bulk/rollback", "{\"selector\":\"env=prod,demo=" + stack + "\"}", 202));
    for (String c : List.of("prod-1", "prod-2", "prod-3")) awaitPhase(c, ids.get(c), "Converged");
    double recovery = (System.nanoTime() - rollback) / 1e9;
    say("time to recovery: %.1f s from the rollback call to all three Converged", recovery);
    Map<String, Object> prod1 = cluster(ids.get("prod-1"));
    say("prod-1 is back on %s revision %s with %s replicas (the override survived)",
        path(prod1, "spec.profiles.0.version"), path(prod1, "spec.profiles.0.revision"), replicas(ids.get("prod-1")));

    step(7, "1.1.1, fixed, is released and rolled out to env=prod");
    call("POST", profiles() + "/api/v1/profiles/" + profileId + "/versions",
        "{\"version\":\"1.1.1\"," + content("1.1.1", true, "") + "}", 201);
    rollOutToProd(stack, profileId, "1.1.1");
    for (String c : List.of("prod-1", "prod-2", "prod-3")) awaitPhase(c, ids.get(c), "Converged");
    say("prod on 1.1.1, all Converged; prod-1 still runs %s replicas", replicas(ids.get("prod-1")));

    step(8, "an in-place update of 1.1.1 (revision 2): pending on every cluster using it, applied to prod-2 only");
    call("PUT", profiles() + "/api/v1/profiles/" + profileId + "/versions/1.1.1",
        "{" + content("1.1.1", true, "cache-size: \\\"256\\\"") + "}", 200, "If-Match", "\"1\"");
    for (String c : List.of("prod-1", "prod-2", "prod-3")) {
      Map<String, Object> pending = await(c + " shows the pending update", Duration.ofSeconds(60), () -> {
        Map<String, Object> x = cluster(ids.get(c));
        return ((List<?>) x.getOrDefault("pendingUpdates", List.of())).isEmpty() ? null : x;
      });
      say("%s pending: revision %s -> %s", c, path(pending, "pendingUpdates.0.fromRevision"), path(pending, "pendingUpdates.0.toRevision"));
    }
    call("POST", clusters() + "/api/v1/clusters/" + ids.get("prod-2") + "/pending-updates/apply", "{}", 200);
    awaitPhase("prod-2", ids.get("prod-2"), "Converged");
    say("prod-2 runs 1.1.1 revision %s; prod-1 and prod-3 still list the update as pending",
        path(cluster(ids.get("prod-2")), "spec.profiles.0.revision"));

    step(9, "someone scales stage-1's web to 0 behind Strata's back: drift is detected and corrected");
    String key = "apps/v1/Deployment/shop/web";
    Map<String, Object> live = call("GET", reconciler() + "/api/v1/targets/" + ids.get("stage-1") + "/objects", null, 200);
    @SuppressWarnings("unchecked")
    Map<String, Object> web = (Map<String, Object>) ((Map<String, Object>) live.get("objects")).get(key);
    String changed = json(web).replaceFirst("\"replicas\":\\d+", "\"replicas\":0");
    call("PUT", reconciler() + "/api/v1/targets/" + ids.get("stage-1") + "/objects/" + key, changed, 200);
    say("stage-1 Deployment/web now has 0 replicas; waiting for the periodic drift check");
    long drift = System.nanoTime();
    await("stage-1 corrected", Duration.ofSeconds(90), () -> "2".equals(replicas(ids.get("stage-1"))) ? true : null);
    say("corrected %.1f s later: stage-1 runs %s replicas again", (System.nanoTime() - drift) / 1e9, replicas(ids.get("stage-1")));

    step(10, "the audit: prod-1's timeline, time travel to the outage, the hash chain");
    Map<String, Object> timeline = await("prod-1's history in the audit", Duration.ofSeconds(30), () -> {
      Map<String, Object> t = call("GET", audit() + "/api/v1/audit/clusters/" + ids.get("prod-1") + "/timeline?limit=500", null, 200);
      List<?> items = (List<?>) t.get("items");
      Object last = items.isEmpty() ? null : ((Map<?, ?>) items.get(items.size() - 1)).get("generation");
      return String.valueOf(last).equals(String.valueOf(path(cluster(ids.get("prod-1")), "spec.generation")))
          && items.stream().anyMatch(s -> "rolled-back".equals(((Map<?, ?>) s).get("kind"))) ? t : null;
    });
    for (Object o : (List<?>) timeline.get("items")) {
      Map<?, ?> s = (Map<?, ?>) o;
      say("%s  %-19s gen %-2s %-11s by %-18s %s", s.get("time"), s.get("kind"), s.get("generation"),
          s.get("phase"), s.get("actor"), s.get("reason") == null ? "" : s.get("reason"));
    }
    Map<String, Object> then = call("GET", audit() + "/api/v1/audit/clusters/" + ids.get("prod-1") + "/state?at="
        + URLEncoder.encode(outage.toString(), StandardCharsets.UTF_8), null, 200);
    say("at the outage (%s) prod-1 ran %s %s and was %s", outage,
        path(then, "spec.spec.profiles.0.name"), path(then, "spec.spec.profiles.0.version"), path(then, "status.phase"));
    Map<String, Object> verify = call("GET", audit() + "/api/v1/audit/verify", null, 200);
    say("hash chain: valid=%s over %s records", verify.get("valid"), verify.get("checked"));

    System.out.printf("%nscenario complete in %.0f s. time to recovery %.1f s.%n", (System.nanoTime() - T0) / 1e9, recovery);
    System.out.println("The clusters stay for you to explore:");
    System.out.println("  dashboard  " + audit() + "/   (sign in with the key in .strata/admin-token)");
    System.out.println("  clusters   curl -H \"Authorization: Bearer $(cat .strata/admin-token)\" '" + clusters()
        + "/api/v1/clusters?selector=demo%3D" + stack + "'");
  }

  /** The layers and variables of one web-stack version; {@code healthy} false breaks its web. */
  static String content(String version, boolean healthy, String extraData) {
    String annotations = "version: '" + version + "'" + (healthy ? "" : ", sim.strata.io/healthy: 'false'");
    String deployment = "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: web, namespace: shop}\\n"
        + "spec:\\n  replicas: {{ .strata.var.replicas }}\\n  selector: {matchLabels: {app: web}}\\n"
        + "  template:\\n    metadata: {labels: {app: web}, annotations: {" + annotations + "}}\\n"
        + "    spec: {containers: [{name: web, image: 'nginx:1.27'}]}\\n";
    String service = "apiVersion: v1\\nkind: Service\\nmetadata: {name: web, namespace: shop}\\n"
        + "spec: {selector: {app: web}, ports: [{port: 80}]}\\n";
    String config = "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: web-config, namespace: shop}\\n"
        + "data: {release: '" + version + "'" + (extraData.isEmpty() ? "" : ", " + extraData) + "}\\n";
    return "\"variables\":[{\"name\":\"replicas\",\"type\":\"number\",\"default\":\"2\"}],"
        + "\"layers\":[{\"name\":\"app\",\"type\":\"manifest\",\"manifests\":["
        + "{\"name\":\"web\",\"content\":\"" + deployment + "\"},"
        + "{\"name\":\"svc\",\"content\":\"" + service + "\"},"
        + "{\"name\":\"config\",\"content\":\"" + config + "\"}]},"
        + "{\"name\":\"cache\",\"type\":\"helm\",\"chart\":{\"pack\":\"web-cache\",\"version\":\"0.1.0\"},\"values\":\"size: 128\\n\"}]";
  }

  /** The first suffix under which no web-stack profile exists yet: each run plays on its own. */
  static String freeSuffix() throws Exception {
    for (int i = 1; ; i++) {
      String suffix = i == 1 ? "" : "-" + i;
      Map<String, Object> found = call("GET", profiles() + "/api/v1/profiles?name=web-stack" + suffix, null, 200);
      boolean taken = ((List<?>) found.get("items")).stream().anyMatch(p -> ("web-stack" + suffix).equals(((Map<?, ?>) p).get("name")));
      if (!taken) return suffix;
    }
  }

  static Map<String, Object> cluster(String id) throws Exception {
    return call("GET", clusters() + "/api/v1/clusters/" + id, null, 200);
  }

  /** The live replicas of the cluster's Deployment/web, as its (simulated) API server holds it. */
  static String replicas(String id) throws Exception {
    Map<String, Object> live = call("GET", reconciler() + "/api/v1/targets/" + id + "/objects", null, 200);
    Object web = ((Map<?, ?>) live.get("objects")).get("apps/v1/Deployment/shop/web");
    return web == null ? "no" : String.valueOf(path(web, "spec.replicas")).replaceAll("\\.0$", "");
  }

  /** Until the cluster is in {@code phase} at its newest generation. */
  static Map<String, Object> awaitPhase(String name, String id, String phase) throws Exception {
    return await(name + " " + phase, Duration.ofSeconds(120), () -> {
      Map<String, Object> c = cluster(id);
      boolean current = String.valueOf(path(c, "status.observedGeneration")).equals(String.valueOf(path(c, "spec.generation")));
      return current && phase.equals(path(c, "status.phase")) ? c : null;
    });
  }

  /** Attaches {@code version} to every prod cluster of this demo by selector, and waits it out. */
  static void rollOutToProd(String stack, String profileId, String version) throws Exception {
    awaitBulk(awaitCall("POST", clusters() + "/api/v1/clusters/bulk/profiles",
        "{\"selector\":\"env=prod,demo=" + stack + "\",\"profiles\":[{\"profileId\":\"" + profileId + "\",\"version\":\"" + version + "\"}]}",
        202, "cluster-service knows " + version));
  }

  static void awaitBulk(Map<String, Object> accepted) throws Exception {
    String op = (String) accepted.get("operationId");
    Map<String, Object> done = await("the bulk operation", Duration.ofSeconds(120), () -> {
      Map<String, Object> o = call("GET", clusters() + "/api/v1/clusters/bulk/" + op, null, 200);
      return o.get("finishedAt") != null ? o : null;
    });
    say("bulk operation %s: %s", op, done.get("counts"));
  }

  interface Probe<T> { T get() throws Exception; }

  static <T> T await(String what, Duration timeout, Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (value != null && !Boolean.FALSE.equals(value)) return value;
      if (System.nanoTime() > deadline) throw new IllegalStateException("gave up waiting for " + what);
      Thread.sleep(200);
    }
  }

  /** A call that may be refused until an earlier event is projected (422 meanwhile). */
  static Map<String, Object> awaitCall(String method, String url, String body, int expected, String what) throws Exception {
    String key = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> r = send(method, url, body, key);
      if (r.statusCode() == expected) return parse(r.body());
      if (r.statusCode() != 422 || System.nanoTime() > deadline) {
        throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + " " + r.body());
      }
      key = UUID.randomUUID().toString(); // a refusal is replayed for its key: a new attempt needs a new one
      Thread.sleep(200);
    }
  }

  static Map<String, Object> call(String method, String url, String body, int expected, String... headers) throws Exception {
    HttpResponse<String> r = send(method, url, body, UUID.randomUUID().toString(), headers);
    if (r.statusCode() != expected) throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + " " + r.body());
    return parse(r.body());
  }

  static int status(String method, String url, String body) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException | InterruptedException e) {
      return 0;
    }
  }

  /**
   * One request, retried while the service is unreachable or unavailable (a restart); a POST
   * keeps its Idempotency-Key across retries, so it is carried out once.
   */
  static HttpResponse<String> send(String method, String url, String body, String idempotencyKey, String... headers) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", auth);
      for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
      if (method.equals("POST")) b.header("Idempotency-Key", idempotencyKey);
      if (body != null) b.header("Content-Type", "application/json");
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      try {
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        // 409 with the same key: the first attempt is still being carried out
        boolean retry = r.statusCode() == 502 || r.statusCode() == 503 || r.statusCode() == 504
            || (r.statusCode() == 409 && method.equals("POST") && r.body().contains("in progress"));
        if (!retry) return r;
      } catch (IOException e) {
        // the service is down or restarting
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException(method + " " + url + ": no answer for " + PATIENCE.toSeconds() + " s");
      Thread.sleep(500);
    }
  }

  static Map<String, Object> upload(String name, String version, byte[] archive, String values) throws Exception {
    String boundary = "strata-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String[] field : List.of(new String[] {"name", name}, new String[] {"version", version},
        new String[] {"kind", "helm"}, new String[] {"values", values})) {
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n" + field[1] + "\r\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "-" + version
        + ".tgz\"\r\nContent-Type: application/gzip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(archive);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    String key = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(profiles() + "/api/v1/packs"))
            .header("Authorization", auth).header("Idempotency-Key", key)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        // 200: the same archive was uploaded before (a second run of the demo)
        if (r.statusCode() == 201 || r.statusCode() == 200) return parse(r.body());
        if (r.statusCode() < 500) throw new IllegalStateException("upload -> " + r.statusCode() + " " + r.body());
      } catch (IOException e) {
        // restarting
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("upload: no answer");
      Thread.sleep(500);
    }
  }

  /** A Helm chart archive (tar.gz) with one ConfigMap template; fixed times, so the same bytes each run. */
  static byte[] chart(String name, String version) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(name + "/Chart.yaml", "apiVersion: v2\nname: " + name + "\nversion: " + version
        + "\ndescription: the web stack's cache settings\ntype: application\n");
    files.put(name + "/values.yaml", "size: 64\n");
    files.put(name + "/templates/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cache\n"
        + "  namespace: shop\ndata:\n  size: {{ .Values.size | quote }}\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[512];
        put(header, 0, f.getKey(), 100);
        put(header, 100, "0000644", 8);
        put(header, 108, "0000000", 8);
        put(header, 116, "0000000", 8);
        put(header, 124, String.format("%011o", data.length), 12);
        put(header, 136, String.format("%011o", 1_700_000_000L), 12);
        for (int i = 148; i < 156; i++) header[i] = ' ';
        header[156] = '0';
        put(header, 257, "ustar", 6);
        put(header, 263, "00", 2);
        int sum = 0;
        for (byte b : header) sum += b & 0xff;
        put(header, 148, String.format("%06o", sum), 7);
        header[155] = ' ';
        gz.write(header);
        gz.write(data);
        gz.write(new byte[(512 - data.length % 512) % 512]);
      }
      gz.write(new byte[1024]);
    }
    return out.toByteArray();
  }

  static void put(byte[] header, int at, String value, int length) {
    byte[] b = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, at, Math.min(b.length, length));
  }

  static void step(int n, String what, Object... args) {
    System.out.printf("%n[step %d] %s%n", n, String.format(what, args));
    System.out.flush();
  }

  static void say(String what, Object... args) {
    System.out.printf("  %5.1fs  %s%n", (System.nanoTime() - T0) / 1e9, String.format(what, args));
    System.out.flush();
  }

  /** {@code a.b.0.c} into parsed JSON. */
  static Object path(Object node, String path) {
    Object cur = node;
    for (String k : path.split("\\.")) {
      if (cur instanceof Map<?, ?> m) cur = m.get(k);
      else if (cur instanceof List<?> l && k.matches("\\d+") && Integer.parseInt(k) < l.size()) cur = l.get(Integer.parseInt(k));
      else return null;
    }
    return cur;
  }

  // A small JSON reader and writer: the demo needs nothing but the JDK.
  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String text) {
    if (text == null || text.isBlank()) return Map.of();
    Object v = new Reader(text).value();
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("value", v);
  }

  static final class Reader {
    final String s;
    int i;

    Reader(String s) { this.s = s; }

    Object value() {
      ws();
      char c = s.charAt(i);
      if (c == '{') {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        ws();
        if (s.charAt(i) == '}') { i++; return m; }
        while (true) {
          ws();
          String k = string();
          ws();
          i++; // :
          m.put(k, value());
          ws();
          if (s.charAt(i++) == '}') return m;
        }
      }
      if (c == '[') {
        List<Object> l = new ArrayList<>();
        i++;
        ws();
        if (s.charAt(i) == ']') { i++; return l; }
        while (true) {
          l.add(value());
          ws();
          if (s.charAt(i++) == ']') return l;
        }
      }
      if (c == '"') return string();
      if (s.startsWith("true", i)) { i += 4; return true; }
      if (s.startsWith("false", i)) { i += 5; return false; }
      if (s.startsWith("null", i)) { i += 4; return null; }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      String num = s.substring(start, i);
      return num.matches("-?\\d+") ? (Object) Long.parseLong(num) : (Object) Double.parseDouble(num);
    }

    String string() {
      StringBuilder b = new StringBuilder();
      i++; // "
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') return b.toString();
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
            default -> b.append(e);
          }
        } else {
          b.append(c);
        }
      }
    }

    void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }
  }

  static String json(Object v) {
    if (v == null) return "null";
    if (v instanceof String str) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : str.toCharArray()) {
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> { if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c); }
        }
      }
      return b.append('"').toString();
    }
    if (v instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, x) -> parts.add(json(String.valueOf(k)) + ":" + json(x)));
      return "{" + String.join(",", parts) + "}";
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(x -> parts.add(json(x)));
      return "[" + String.join(",", parts) + "]";
    }
    return String.valueOf(v);
  }
}
