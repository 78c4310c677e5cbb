package io.strata.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The platform exactly as a user runs it: the {@code ./strata} script, the packaged services as
 * separate processes, the local stack with a real broker and PostgreSQL. Runs on shifted ports and
 * its own data directory so that it never meets a platform the developer has running.
 */
final class Platform {
  static final int OFFSET = 10_000;
  static final Path ROOT =
      Path.of(System.getProperty("strata.root", "..")).toAbsolutePath().normalize();
  static final Path HOME = ROOT.resolve("e2e/target/strata-home");
  static final String KAFKA = "localhost:59192";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Result(int exitCode, String output) {}

  private Platform() {}

  /** {@code ./strata args} as the tests run it: shifted ports, its own home, short timeouts. */
  private static ProcessBuilder builder(Map<String, String> extraEnv, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(ROOT.resolve("strata").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("STRATA_HOME", HOME.toString());
    env.put("STRATA_PORT_OFFSET", String.valueOf(OFFSET));
    env.put("STRATA_PG_PORT", "55532");
    env.put("STRATA_KAFKA_PORT", "59192");
    env.put("STRATA_KAFKA_CONTROLLER_PORT", "59193");
    // the reactor has just packaged every module; never start a nested Maven build
    env.put("STRATA_SKIP_BUILD", "1");
    // the scenario's broken release fails after the readiness timeout, and drift is found within
    // one interval: short ones keep the run short (defaults: 30 s each)
    env.put("STRATA_RECONCILER_READINESS_TIMEOUT", "PT5S");
    env.put("STRATA_RECONCILER_DRIFT_INTERVAL", "PT3S");
    env.putAll(extraEnv);
    return pb;
  }

  static Result strata(Map<String, String> extraEnv, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder pb = builder(extraEnv, args);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("./strata " + String.join(" ", args) + " hung:\n" + out);
    }
    return new Result(p.exitValue(), out);
  }

  static Result strata(String... args) throws IOException, InterruptedException {
    return strata(new HashMap<>(), args);
  }

  static String url(int basePort, String path) {
    return "http://localhost:" + (basePort + OFFSET) + path;
  }

  /** The admin key ./strata up created on first start. */
  static String adminToken() throws IOException {
    return Files.readString(HOME.resolve("admin-token")).strip();
  }

  static HttpResponse<String> post(int basePort, String path, String body, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(basePort, path)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static int status(int basePort, String path, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(basePort, path))).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static JsonNode get(int basePort, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url(basePort, path)))
                .header("Authorization", "Bearer " + adminToken())
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** Starts {@code ./strata args} with the same environment as {@link #strata}, not waiting. */
  static Process start(String... args) throws IOException {
    return builder(Map.of(), args).start();
  }

  static long pid(String part) throws IOException {
    return Long.parseLong(Files.readString(HOME.resolve("run/" + part + ".pid")).trim());
  }

  /** SIGKILL, and wait until it is gone: only then does {@code ./strata up} start it again. */
  static void sigkill(String part) throws IOException {
    long pid = pid(part);
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !running(pid));
  }

  /** Running, not a zombie waiting for a parent that has gone (orphans are reaped late here). */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }
}
