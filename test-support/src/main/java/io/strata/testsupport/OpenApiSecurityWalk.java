package io.strata.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a service's whole OpenAPI document and calls every {@code /api/v1} operation: anonymously
 * (each must answer 401), and for every write operation with a viewer's credential (each must
 * answer 403). Returns what misbehaved, so a test can assert it is empty.
 */
public final class OpenApiSecurityWalk {
  private static final Set<String> WRITES = Set.of("post", "put", "patch", "delete");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public record Operation(String method, String path) {}

  private OpenApiSecurityWalk() {}

  public static List<Operation> operations(String baseUrl) throws Exception {
    String doc =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/q/openapi?format=json")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    JsonNode paths = new ObjectMapper().readTree(doc).path("paths");
    List<Operation> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      if (!path.getKey().startsWith("/api/v1")) {
        continue;
      }
      for (Iterator<String> m = path.getValue().fieldNames(); m.hasNext(); ) {
        String method = m.next();
        if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
          out.add(new Operation(method.toUpperCase(), path.getKey()));
        }
      }
    }
    return out;
  }

  /** Every operation that did not answer 401 without credentials, with what it answered. */
  public static List<String> anonymousNot401(String baseUrl) throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Operation op : operations(baseUrl)) {
      int status = call(baseUrl, op, null);
      if (status != 401) {
        wrong.add(op + " -> " + status);
      }
    }
    return wrong;
  }

  /** Every write operation that did not answer 403 to {@code viewerToken}. */
  public static List<String> viewerWritesNot403(String baseUrl, String viewerToken)
      throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Operation op : operations(baseUrl)) {
      if (WRITES.contains(op.method().toLowerCase())) {
        int status = call(baseUrl, op, viewerToken);
        if (status != 403) {
          wrong.add(op + " -> " + status);
        }
      }
    }
    return wrong;
  }

  private static int call(String baseUrl, Operation op, String token) throws Exception {
    String path = op.path().replaceAll("\\{[^}]+}", "x1");
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .method(op.method(), HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
