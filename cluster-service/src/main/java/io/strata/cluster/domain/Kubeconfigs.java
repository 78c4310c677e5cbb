package io.strata.cluster.domain;

import io.strata.kit.http.Problem.FieldError;
import io.strata.values.Yamls;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a kubeconfig before it is stored. Besides the shape, it refuses what would let a tenant
 * reach the service's own machine: servers that are not {@code https://} or {@code http://} URLs
 * (no {@code file:}, no unix sockets), credentials read from files, and {@code exec} or {@code
 * auth-provider} plugins (they run commands). No message quotes the kubeconfig.
 */
public final class Kubeconfigs {
  public static final int MAX_BYTES = 256 * 1024;
  private static final Set<String> FILE_FIELDS =
      Set.of("certificate-authority", "client-certificate", "client-key", "tokenFile");

  private Kubeconfigs() {}

  /**
   * {@code allowLocalServers}: whether a server on this machine (loopback, {@code localhost}) or a
   * link-local address (cloud metadata services) may be named — true only on a developer's machine
   * with a local cluster. Host names are not resolved here; the reconciler connects to them.
   */
  public static void check(
      String field, String text, boolean allowLocalServers, List<FieldError> errors) {
    if (text == null || text.isBlank()) {
      errors.add(new FieldError(field, "is required for a kubernetes target"));
      return;
    }
    if (text.length() > MAX_BYTES) {
      errors.add(new FieldError(field, "is larger than " + MAX_BYTES + " bytes"));
      return;
    }
    Object doc;
    try {
      doc = Yamls.load(text);
    } catch (RuntimeException e) {
      errors.add(new FieldError(field, "is not valid YAML"));
      return;
    }
    if (!(doc instanceof Map<?, ?> kc)) {
      errors.add(new FieldError(field, "is not a kubeconfig (a YAML mapping)"));
      return;
    }
    List<?> clusters = kc.get("clusters") instanceof List<?> l ? l : List.of();
    List<?> users = kc.get("users") instanceof List<?> l ? l : List.of();
    List<?> contexts = kc.get("contexts") instanceof List<?> l ? l : List.of();
    if (clusters.isEmpty() || contexts.isEmpty()) {
      errors.add(new FieldError(field, "needs at least one cluster and one context"));
      return;
    }
    if (!(kc.get("current-context") instanceof String) && contexts.size() != 1) {
      errors.add(new FieldError(field, "has several contexts and no current-context"));
    }
    for (Object c : clusters) {
      Object cluster = c instanceof Map<?, ?> m ? m.get("cluster") : null;
      String server = cluster instanceof Map<?, ?> m ? String.valueOf(m.get("server")) : "";
      if (!allowedServer(server)) {
        errors.add(
            new FieldError(field, "cluster server must be an https:// or http:// URL with a host"));
      } else if (!allowLocalServers && local(URI.create(server).getHost())) {
        errors.add(
            new FieldError(
                field,
                "cluster server is on this machine or a link-local address (such as a cloud"
                    + " metadata service); not allowed here"));
      }
      if (cluster instanceof Map<?, ?> m) {
        fileReferences(field, m, errors);
        if (m.containsKey("proxy-url")) {
          errors.add(
              new FieldError(field, "proxy-url is not allowed: Strata connects to the server"));
        }
      }
    }
    for (Object u : users) {
      Object user = u instanceof Map<?, ?> m ? m.get("user") : null;
      if (user instanceof Map<?, ?> m) {
        if (m.containsKey("exec") || m.containsKey("auth-provider")) {
          errors.add(
              new FieldError(
                  field, "users may not use exec or auth-provider plugins: they run commands"));
        }
        fileReferences(field, m, errors);
      }
    }
  }

  private static void fileReferences(String field, Map<?, ?> m, List<FieldError> errors) {
    for (Object k : m.keySet()) {
      if (FILE_FIELDS.contains(String.valueOf(k))) {
        errors.add(
            new FieldError(
                field, k + " reads a file; inline the content with " + k + "-data instead"));
      }
    }
  }

  private static final java.util.regex.Pattern IP_LITERAL =
      java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[?[0-9a-fA-F:.]+]?");

  /** Loopback, unspecified or link-local, judged from the URL alone (no name lookup). */
  static boolean local(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("metadata.google.internal")) {
      return true;
    }
    if (!IP_LITERAL.matcher(h).matches()) {
      return false;
    }
    try {
      // a literal address is parsed, never looked up
      java.net.InetAddress a = java.net.InetAddress.getByName(h.replace("[", "").replace("]", ""));
      return a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress();
    } catch (java.net.UnknownHostException e) {
      return true;
    }
  }

  private static boolean allowedServer(String server) {
    try {
      URI uri = URI.create(server);
      String scheme = uri.getScheme();
      return ("https".equals(scheme) || "http".equals(scheme))
          && uri.getHost() != null
          && !uri.getHost().isBlank();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
