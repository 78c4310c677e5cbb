package io.strata.events.profile;

/**
 * Where a Helm layer's chart comes from: a pack of our registry ({@code pack} + {@code version}) or
 * a {@code https://} / {@code oci://} reference ({@code url} + {@code version}). {@code digest}
 * pins the exact archive once a revision is saved; empty until then.
 */
public record ChartRef(String pack, String version, String url, String digest) {
  public ChartRef {
    pack = pack == null ? "" : pack;
    version = version == null ? "" : version;
    url = url == null ? "" : url;
    digest = digest == null ? "" : digest;
  }

  public boolean fromRegistry() {
    return !pack.isEmpty();
  }
}
