package io.strata.cluster.domain;

import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.SealedValues;
import io.strata.events.profile.Variable;
import io.strata.kit.catalog.Catalog;
import io.strata.kit.http.Problem.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A cluster's variable values against what its attached revisions declare. */
public final class VariableCheck {
  private VariableCheck() {}

  /**
   * Every variable the attached revisions declare, by name: the first declaration wins, except that
   * a variable any of them marks sensitive is sensitive.
   */
  public static Map<String, Variable> declared(List<AttachedProfile> profiles, Catalog catalog) {
    Map<String, Variable> out = new LinkedHashMap<>();
    for (AttachedProfile a : profiles) {
      catalog
          .content(a.profileId(), a.version(), a.revision())
          .ifPresent(
              c ->
                  c.variables()
                      .forEach(
                          v ->
                              out.merge(
                                  v.name(),
                                  v,
                                  // sensitive when any profile says so: a secret stays sealed
                                  (first, other) ->
                                      other.sensitive() && !first.sensitive()
                                          ? new Variable(
                                              first.name(),
                                              first.type(),
                                              first.defaultValue(),
                                              first.required(),
                                              first.regex(),
                                              true)
                                          : first)));
    }
    return out;
  }

  /**
   * Values given in this request ({@code supplied}) must be declared and valid; every required
   * variable must have a value or a default. Sealed values were checked when they were set.
   */
  public static void check(
      Map<String, Variable> declared,
      Map<String, String> values,
      Set<String> supplied,
      List<FieldError> errors) {
    for (String name : supplied) {
      if (!declared.containsKey(name) && values.containsKey(name)) {
        errors.add(new FieldError("variables." + name, "no attached profile declares it"));
      }
    }
    for (Variable v : declared.values()) {
      String value = values.get(v.name());
      if (value == null) {
        if (v.required() && v.defaultValue().isEmpty()) {
          errors.add(new FieldError("variables." + v.name(), "is required and has no default"));
        }
        continue;
      }
      if (v.sensitive() && SealedValues.isRef(value) && !supplied.contains(v.name())) {
        continue;
      }
      if (v.sensitive() && SealedValues.isRef(value)) {
        errors.add(
            new FieldError("variables." + v.name(), "takes the secret itself, not a reference"));
        continue;
      }
      v.problemWith(value).ifPresent(m -> errors.add(new FieldError("variables." + v.name(), m)));
    }
  }
}
