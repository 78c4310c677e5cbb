package io.strata.profile.domain;

import io.strata.events.Semver;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import io.strata.kit.http.Names;
import io.strata.kit.http.Problem.FieldError;
import io.strata.values.Templates;
import io.strata.values.Yamls;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Save-time checks of profile content. Pure: returns every problem found (field path and message)
 * so that one 422 lists them all.
 */
public final class ProfileValidation {
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  public static final int MAX_LAYERS = 64;
  public static final int MAX_MANIFESTS_PER_LAYER = 500;
  public static final int MAX_VARIABLES = 256;
  private static final int MAX_TAGS = 32;

  private ProfileValidation() {}

  public static void name(String field, String value, List<FieldError> errors) {
    Names.check(field, value, errors);
  }

  public static void version(String field, String value, List<FieldError> errors) {
    if (value == null || value.isEmpty()) {
      errors.add(new FieldError(field, "is required"));
    } else if (!Semver.isValid(value)) {
      errors.add(
          new FieldError(field, "'" + value + "' is not a semantic version (MAJOR.MINOR.PATCH)"));
    }
  }

  public static void tags(List<String> tags, List<FieldError> errors) {
    if (tags.size() > MAX_TAGS) {
      errors.add(new FieldError("tags", "at most " + MAX_TAGS + " tags"));
    }
    for (int i = 0; i < tags.size(); i++) {
      String t = tags.get(i);
      if (t == null || !t.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
        errors.add(new FieldError("tags[" + i + "]", "must be 1-63 of [A-Za-z0-9._-]"));
      }
    }
  }

  public static void variables(List<Variable> variables, List<FieldError> errors) {
    if (variables.size() > MAX_VARIABLES) {
      errors.add(
          new FieldError("variables", variables.size() + " variables; at most " + MAX_VARIABLES));
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable v = variables.get(i);
      String at = "variables[" + i + "]";
      if (!VARIABLE_NAME.matcher(v.name()).matches()) {
        errors.add(new FieldError(at + ".name", "must match [A-Za-z_][A-Za-z0-9_]*"));
      } else if (!seen.add(v.name())) {
        errors.add(new FieldError(at + ".name", "variable '" + v.name() + "' is defined twice"));
      }
      boolean regexValid = true;
      if (!v.regex().isEmpty()) {
        try {
          Pattern.compile(v.regex());
        } catch (PatternSyntaxException e) {
          regexValid = false;
          errors.add(
              new FieldError(
                  at + ".regex", "is not a valid regular expression: " + e.getDescription()));
        }
      }
      if (v.sensitive() && !v.defaultValue().isEmpty()) {
        // a default would travel in events and exports: secrets are set per cluster instead
        errors.add(
            new FieldError(
                at + ".default", "a sensitive variable has no default; set its value per cluster"));
      }
      if (!v.defaultValue().isEmpty()) {
        if (regexValid) {
          v.problemWith(v.defaultValue())
              .ifPresent(m -> errors.add(new FieldError(at + ".default", m)));
        }
      }
    }
  }

  public static void layers(
      ProfileType type, List<Layer> layers, List<Variable> variables, List<FieldError> errors) {
    if (layers.size() > MAX_LAYERS) {
      errors.add(new FieldError("layers", layers.size() + " layers; at most " + MAX_LAYERS));
      return;
    }
    Map<String, String> placeholders = placeholders(variables);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      String at = "layers[" + i + "]";
      if (layer == null) {
        errors.add(new FieldError(at, "is null"));
        continue;
      }
      name(at + ".name", layer.name(), errors);
      if (layer.name() != null && !names.add(layer.name())) {
        errors.add(new FieldError(at + ".name", "layer '" + layer.name() + "' appears twice"));
      }
      switch (layer) {
        case Layer.ManifestLayer m -> manifests(at, m, placeholders, errors);
        case Layer.HelmLayer h -> {
          if (h.chart().fromRegistry() == !h.chart().url().isEmpty()) {
            errors.add(
                new FieldError(at + ".chart", "give either pack (+ version) or url (+ version)"));
          }
          if (!h.chart().url().isEmpty()
              && !(h.chart().url().startsWith("https://")
                  || h.chart().url().startsWith("oci://"))) {
            errors.add(
                new FieldError(at + ".chart.url", "must be an https:// or oci:// reference"));
          }
          if (h.chart().version().isEmpty()) {
            errors.add(new FieldError(at + ".chart.version", "is required"));
          }
          values(at + ".values", h.values(), placeholders, errors);
        }
        case Layer.PackLayer p -> {
          if (p.pack().name().isEmpty()) {
            errors.add(new FieldError(at + ".pack.name", "is required"));
          }
          if (p.pack().version().isEmpty()) {
            errors.add(new FieldError(at + ".pack.version", "is required"));
          }
          values(at + ".values", p.values(), placeholders, errors);
        }
        case Layer.ZarfLayer z -> {
          if (z.zarf().packageRef().isEmpty()) {
            errors.add(new FieldError(at + ".zarf.package", "is required"));
          }
          if (z.zarf().version().isEmpty()) {
            errors.add(new FieldError(at + ".zarf.version", "is required"));
          }
        }
      }
      if (type == ProfileType.ADDON && layer instanceof Layer.ZarfLayer) {
        errors.add(
            new FieldError(at + ".type", "an addon profile holds no infrastructure (zarf) layers"));
      }
    }
  }

  private static void manifests(
      String at, Layer.ManifestLayer m, Map<String, String> placeholders, List<FieldError> errors) {
    if (m.manifests().isEmpty()) {
      errors.add(new FieldError(at + ".manifests", "a manifest layer needs at least one manifest"));
    }
    if (m.manifests().size() > MAX_MANIFESTS_PER_LAYER) {
      errors.add(
          new FieldError(at + ".manifests", "at most " + MAX_MANIFESTS_PER_LAYER + " manifests"));
      return;
    }
    Set<String> names = new HashSet<>();
    for (int j = 0; j < m.manifests().size(); j++) {
      Manifest doc = m.manifests().get(j);
      String field = at + ".manifests[" + j + "]";
      name(field + ".name", doc.name(), errors);
      if (!names.add(doc.name())) {
        errors.add(
            new FieldError(
                field + ".name", "manifest '" + doc.name() + "' is named twice in this layer"));
      }
      String text = substitute(field + ".content", doc.content(), placeholders, errors);
      kubernetesObjects(field + ".content", text, errors);
    }
  }

  /**
   * Every document of {@code text} must be a Kubernetes object (apiVersion, kind, metadata.name).
   */
  public static void kubernetesObjects(String field, String text, List<FieldError> errors) {
    try {
      int n = 0;
      for (Object o : Yamls.loadAll(text)) {
        n++;
        objectProblems(field, n, o, errors);
      }
      if (n == 0) {
        errors.add(new FieldError(field, "holds no Kubernetes object"));
      }
    } catch (RuntimeException e) {
      errors.add(new FieldError(field, "is not valid YAML: " + Yamls.firstLine(e.getMessage())));
    }
  }

  private static void objectProblems(String field, int n, Object o, List<FieldError> errors) {
    if (!(o instanceof Map<?, ?> obj)) {
      errors.add(new FieldError(field, "document " + n + " is not a mapping"));
      return;
    }
    for (String key : List.of("apiVersion", "kind")) {
      if (!(obj.get(key) instanceof String s) || s.isBlank()) {
        errors.add(new FieldError(field, "document " + n + " has no " + key));
      }
    }
    if (!(obj.get("metadata") instanceof Map<?, ?> meta)
        || !(meta.get("name") instanceof String nm)
        || nm.isBlank()) {
      errors.add(new FieldError(field, "document " + n + " has no metadata.name"));
    }
  }

  /** {@code text} must be a YAML mapping (values). */
  public static void mapping(String field, String text, List<FieldError> errors) {
    try {
      Object o = Yamls.load(text);
      if (o != null && !(o instanceof Map)) {
        errors.add(new FieldError(field, "must be a YAML mapping"));
      }
    } catch (RuntimeException e) {
      errors.add(new FieldError(field, "is not valid YAML: " + Yamls.firstLine(e.getMessage())));
    }
  }

  private static void values(
      String field, String values, Map<String, String> placeholders, List<FieldError> errors) {
    if (values.isBlank()) {
      return;
    }
    mapping(field, substitute(field, values, placeholders, errors), errors);
  }

  /**
   * Replaces variable references by defaults or typed placeholders; reports unknown ones, and
   * expressions about Strata's variables that are not a plain reference.
   */
  private static String substitute(
      String field, String text, Map<String, String> placeholders, List<FieldError> errors) {
    for (String expression : Templates.unsupportedExpressions(text)) {
      errors.add(
          new FieldError(
              field,
              "'"
                  + expression
                  + "' is not substituted: a variable is referenced as {{ .strata.var.NAME }},"
                  + " without pipes, functions or trim markers"));
    }
    return Templates.substitute(
        text,
        name -> java.util.Optional.ofNullable(placeholders.get(name)),
        name -> {
          errors.add(new FieldError(field, "references unknown variable '" + name + "'"));
          return "x";
        });
  }

  private static Map<String, String> placeholders(List<Variable> variables) {
    Map<String, String> out = new java.util.HashMap<>();
    for (Variable v : variables) {
      String placeholder =
          !v.defaultValue().isEmpty()
              ? v.defaultValue()
              : switch (v.type()) {
                case NUMBER -> "1";
                case BOOLEAN -> "true";
                case STRING -> "placeholder";
              };
      out.put(v.name(), placeholder);
    }
    return out;
  }
}
