package io.strata.testsupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;

/**
 * fabric8's Kubernetes mock API server in CRUD mode, taught server-side apply. The stock CRUD
 * dispatcher answers {@code application/apply-patch+yaml} with an error; here an apply creates the
 * object when it is absent and merges the applied configuration into it (JSON merge-patch
 * semantics) when it exists. Field ownership and apply conflicts are not modelled: no real
 * kube-apiserver can run on this machine, and this is the closest stand-in.
 */
public final class KubernetesApiServer implements AutoCloseable {
  private final KubernetesMockServer server;

  public KubernetesApiServer() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new ServerSideApplyDispatcher(),
            false);
    server.init();
  }

  public NamespacedKubernetesClient client() {
    return server.createClient();
  }

  /** A kubeconfig that points at this server, as a user would paste it. */
  public String kubeconfig() {
    String url = server.url("/").replaceAll("/$", "");
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        contexts:
        - name: mock
          context:
            cluster: mock
            user: mock
            namespace: default
        current-context: mock
        users:
        - name: mock
          user:
            token: mock-token
        """
        .formatted(url);
  }

  @Override
  public void close() {
    server.destroy();
  }

  static final class ServerSideApplyDispatcher extends KubernetesCrudDispatcher {
    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      String contentType = request.getHeader("Content-Type");
      if (contentType == null || !contentType.startsWith("application/apply-patch")) {
        return super.handlePatch(request);
      }
      String path = request.getPath();
      int query = path.indexOf('?');
      if (query >= 0) {
        path = path.substring(0, query);
      }
      GenericKubernetesResource applied;
      try {
        applied = Serialization.unmarshal(request.getUtf8Body(), GenericKubernetesResource.class);
      } catch (RuntimeException e) {
        return status(
            400, "BadRequest", "apply body is not a Kubernetes object: " + e.getMessage());
      }
      String json = Serialization.asJson(applied);
      if (handleGet(path).code() == 404) {
        String collection = path.substring(0, path.lastIndexOf('/'));
        MockResponse created =
            handleCreate(request(HttpMethod.POST, collection, "application/json", json));
        return created;
      }
      return super.handlePatch(
          request(HttpMethod.PATCH, path, "application/merge-patch+json", json));
    }

    private static RecordedRequest request(
        HttpMethod method, String path, String type, String body) {
      Headers headers = Headers.builder().add("Content-Type", type).build();
      return new RecordedRequest("HTTP/1.1", method, path, headers, new Buffer().writeUtf8(body));
    }

    private static MockResponse status(int code, String reason, String message) {
      String body =
          "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":%d,\"reason\":\"%s\",\"message\":%s}"
              .formatted(code, reason, Serialization.asJson(message));
      return new MockResponse().setResponseCode(code).setBody(body);
    }
  }
}
