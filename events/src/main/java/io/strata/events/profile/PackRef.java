package io.strata.events.profile;

/** A pack of the registry, pinned by digest once a revision is saved (empty until then). */
public record PackRef(String name, String version, String digest) {
  public PackRef {
    name = name == null ? "" : name;
    version = version == null ? "" : version;
    digest = digest == null ? "" : digest;
  }
}
