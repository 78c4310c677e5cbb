package io.strata.events.profile;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * A Zarf package reference (for air-gapped bundles). The REST contract names the field {@code
 * package}; version 1 of the profile events published it as {@code packageRef}, which a published
 * type keeps (DESIGN §2), so both are read and {@code packageRef} is written (ADR 23).
 */
public record ZarfRef(@JsonAlias("package") String packageRef, String version) {
  public ZarfRef {
    packageRef = packageRef == null ? "" : packageRef;
    version = version == null ? "" : version;
  }
}
