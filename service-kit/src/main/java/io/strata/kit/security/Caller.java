package io.strata.kit.security;

import io.strata.events.access.Role;
import io.strata.kit.http.ProblemException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The authenticated principal of a request and its role per project ({@code *} = every project).
 * {@code name} is what events record as the actor: a user's subject or an API key's name.
 */
public record Caller(String name, Kind kind, Map<String, Role> bindings) {
  public static final String ALL_PROJECTS = "*";

  public enum Kind {
    API_KEY,
    JWT,
    BOOTSTRAP_KEY
  }

  public Caller {
    bindings = Map.copyOf(bindings);
  }

  public Optional<Role> roleIn(String project) {
    Role specific = bindings.get(project);
    Role all = bindings.get(ALL_PROJECTS);
    if (specific == null) {
      return Optional.ofNullable(all);
    }
    return Optional.of(all != null && all.includes(specific) ? all : specific);
  }

  /**
   * Holds at least {@code role} in {@code project} ({@code *} asks about the all-projects binding).
   */
  public boolean holds(String project, Role role) {
    return roleIn(project).map(r -> r.includes(role)).orElse(false);
  }

  public boolean canSee(String project) {
    return roleIn(project).isPresent();
  }

  /** Holds {@code role} in at least one project: enough to call an endpoint at all. */
  public boolean hasAnywhere(Role role) {
    return bindings.values().stream().anyMatch(r -> r.includes(role));
  }

  public boolean seesAllProjects() {
    return bindings.containsKey(ALL_PROJECTS);
  }

  /** The projects named in bindings ({@code *} included when present). */
  public Set<String> projects() {
    return bindings.keySet();
  }

  /**
   * Requires {@code role} in {@code project}: 404 when the caller cannot even see the project (so
   * that existence does not leak), 403 when it sees it with a lesser role.
   */
  public void require(String project, Role role, String what) {
    Optional<Role> held = roleIn(project);
    if (held.isEmpty()) {
      throw ProblemException.notFound(what);
    }
    if (!held.get().includes(role)) {
      throw new ProblemException(
          403,
          "Forbidden",
          name
              + " is "
              + held.get().label()
              + " in project "
              + project
              + "; this needs "
              + role.label());
    }
  }
}
