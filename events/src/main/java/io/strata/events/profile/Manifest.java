package io.strata.events.profile;

import java.util.Objects;

/** One named YAML document (or stream of documents) of a manifest layer. */
public record Manifest(String name, String content) {
  public Manifest {
    Objects.requireNonNull(name, "name");
    content = content == null ? "" : content;
  }
}
