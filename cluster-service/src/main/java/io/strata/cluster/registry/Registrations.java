package io.strata.cluster.registry;

import io.strata.cluster.domain.ClusterCommand;
import io.strata.cluster.domain.Kubeconfigs;
import io.strata.cluster.domain.Selector;
import io.strata.cluster.registry.ClustersResource.RegisterRequest;
import io.strata.cluster.registry.ClustersResource.TargetRequest;
import io.strata.events.ClusterId;
import io.strata.events.cluster.ClusterTarget;
import io.strata.events.cluster.DriftPolicy;
import io.strata.events.cluster.TargetKind;
import io.strata.kit.http.Names;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.security.AccessRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks registration requests before any transaction: one cluster, or each of a batch. */
@ApplicationScoped
public class Registrations {
  private final AccessRegistry access;
  private final io.strata.kit.security.CallerContext caller;

  private final boolean allowLocalServers;

  Registrations(
      AccessRegistry access,
      io.strata.kit.security.CallerContext caller,
      @org.eclipse.microprofile.config.inject.ConfigProperty(
              name = "strata.kubeconfig.allow-local-servers",
              defaultValue = "false")
          boolean allowLocalServers) {
    this.access = access;
    this.caller = caller;
    this.allowLocalServers = allowLocalServers;
  }

  /** Checks a registration request; problems are added under {@code at} (empty or clusters[i].). */
  public ClusterCommands.Registration prepare(
      RegisterRequest body, String at, List<FieldError> errors) {
    if (body == null) {
      errors.add(new FieldError(at + "name", "is required"));
      body = new RegisterRequest(null, null, null, null, null, null);
    }
    List<FieldError> found = new ArrayList<>();
    Names.check("name", body.name(), found);
    String project = body.project() == null ? AccessRegistry.DEFAULT_PROJECT : body.project();
    Names.check("project", project, found);
    if (found.isEmpty() && !(caller.caller().canSee(project) && access.projectExists(project))) {
      // the same answer whether the project is missing or hidden from the caller
      found.add(new FieldError("project", "project " + project + " does not exist"));
    }
    Map<String, String> labels = body.labels() == null ? Map.of() : body.labels();
    Selector.checkLabels(labels, found);
    TargetKind kind = TargetKind.SIMULATED;
    Optional<String> kubeconfig = Optional.empty();
    TargetRequest target =
        body.target() == null ? new TargetRequest("simulated", null, null) : body.target();
    switch (String.valueOf(target.kind())) {
      case "simulated" -> {
        if (target.kubeconfig() != null) {
          found.add(new FieldError("target.kubeconfig", "a simulated target takes no kubeconfig"));
        }
      }
      case "kubernetes" -> {
        kind = TargetKind.KUBERNETES;
        Kubeconfigs.check("target.kubeconfig", target.kubeconfig(), allowLocalServers, found);
        kubeconfig = Optional.ofNullable(target.kubeconfig());
      }
      default -> found.add(new FieldError("target.kind", "must be simulated or kubernetes"));
    }
    DriftPolicy driftPolicy =
        ClustersResource.driftPolicy("target.driftPolicy", target.driftPolicy(), found);
    if (body.variables() != null && body.variables().containsValue(null)) {
      found.add(new FieldError("variables", "values must not be null"));
    }
    found.forEach(e -> errors.add(new FieldError(at + e.field(), e.message())));
    return new ClusterCommands.Registration(
        new ClusterCommand.Register(
            ClusterId.generate(),
            String.valueOf(body.name()),
            project,
            labels,
            new ClusterTarget(kind, ""),
            driftPolicy,
            ClustersResource.profiles(body.profiles()),
            body.variables() == null ? Map.of() : body.variables()),
        kubeconfig,
        at);
  }
}
