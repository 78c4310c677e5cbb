package io.strata.events.profile;

/** A Zarf package reference (for air-gapped bundles). */
public record ZarfRef(String packageRef, String version) {
  public ZarfRef {
    packageRef = packageRef == null ? "" : packageRef;
    version = version == null ? "" : version;
  }
}
