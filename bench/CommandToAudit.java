// Command accepted -> event in the audit log, over N sequential profile creates against a running
// platform (./strata up). Run: java bench/CommandToAudit.java [count] [profileUrl] [auditUrl]
// Authenticates with STRATA_TOKEN, or the admin key in .strata/admin-token.
// Uses only the JDK: java.net.http and a regex on the audit answer.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class CommandToAudit {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    String profiles = args.length > 1 ? args[1] : "http://localhost:8081";
    String audit = args.length > 2 ? args[2] : "http://localhost:8084";
    String token = System.getenv().getOrDefault("STRATA_TOKEN", "");
    if (token.isEmpty()) token = java.nio.file.Files.readString(java.nio.file.Path.of(".strata/admin-token")).strip();
    String auth = "Bearer " + token;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Pattern id = Pattern.compile("\"id\":\"([^\"]+)\"");
    String run = UUID.randomUUID().toString().substring(0, 8);
    long[] accept = new long[n];
    long[] toAudit = new long[n];
    int warmup = Math.min(50, n / 10);
    long t0 = System.nanoTime();
    for (int i = -warmup; i < n; i++) {
      String body = "{\"name\":\"bench-" + run + "-" + (i + warmup) + "\",\"type\":\"full\",\"version\":\"1.0.0\",\"layers\":[]}";
      long start = System.nanoTime();
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(URI.create(profiles + "/api/v1/profiles"))
              .header("Content-Type", "application/json").header("Authorization", auth)
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      long accepted = System.nanoTime();
      if (r.statusCode() != 201) throw new IllegalStateException(r.statusCode() + " " + r.body());
      Matcher m = id.matcher(r.body());
      m.find();
      URI q = URI.create(audit + "/api/v1/audit/events?limit=1&aggregateId=" + m.group(1));
      while (true) {
        String page = http.send(HttpRequest.newBuilder(q).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()).body();
        if (page.contains("\"seq\"")) break;
        Thread.sleep(0, 500_000);
      }
      long seen = System.nanoTime();
      if (i >= 0) {
        accept[i] = accepted - start;
        toAudit[i] = seen - accepted;
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%d sequential creates (+%d warm-up) in %.1f s%n", n, warmup, secs);
    report("POST accepted (201)        ", accept);
    report("accepted -> in audit log   ", toAudit);
  }

  static void report(String what, long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    System.out.printf("%s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n", what,
        s[s.length / 2] / 1e6, s[(int) (s.length * 0.95)] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6);
  }
}
