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

  /** {@code contentType}: what the operation consumes (so that the call reaches the endpoint). */
  public record Operation(String method, String path, String contentType) {}

  private OpenApiSecurityWalk() {}

  public static List<Operation> operations(String baseUrl) throws Exception {
    String doc =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/q/openapi?format=json")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    JsonNode paths = new ObjectMapper().readTree(doc).path("paths");
    List<Operation> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : paths.properties()) {
      if (!path.getKey().startsWith("/api/v1")) {
        continue;
      }
      for (Iterator<String> m = path.getValue().fieldNames(); m.hasNext(); ) {
        String method = m.next();
        if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
          Iterator<String> types =
              path.getValue().path(method).path("requestBody").path("content").fieldNames();
          String type = types.hasNext() ? types.next() : "application/json";
          out.add(new Operation(method.toUpperCase(), path.getKey(), type));
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
    boolean multipart = op.contentType().startsWith("multipart/");
    String body =
        multipart
            ? "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--b--\r\n"
            : "{}";
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header(
                "Content-Type", multipart ? op.contentType() + "; boundary=b" : op.contentType())
            .method(op.method(), HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
