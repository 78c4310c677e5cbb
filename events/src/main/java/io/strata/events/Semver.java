package io.strata.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version (semver.org 2.0.0), kept as its canonical text. */
public record Semver(int major, int minor, int patch, String preRelease, String build)
    implements Comparable<Semver> {

  private static final Pattern SEMVER =
      Pattern.compile(
          "(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})"
              + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
              + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

  public Semver {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("semver parts must not be negative");
    }
    preRelease = preRelease == null ? "" : preRelease;
    build = build == null ? "" : build;
  }

  @JsonCreator
  public static Semver parse(String text) {
    if (text == null || text.length() > 64) {
      throw new IllegalArgumentException("not a semantic version (MAJOR.MINOR.PATCH): " + text);
    }
    Matcher m = SEMVER.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a semantic version (MAJOR.MINOR.PATCH): " + text);
    }
    return new Semver(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)),
        m.group(4),
        m.group(5));
  }

  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @JsonValue
  @Override
  public String toString() {
    return major
        + "."
        + minor
        + "."
        + patch
        + (preRelease.isEmpty() ? "" : "-" + preRelease)
        + (build.isEmpty() ? "" : "+" + build);
  }

  /** Precedence as semver.org defines it; build metadata is ignored. */
  @Override
  public int compareTo(Semver o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) c = Integer.compare(minor, o.minor);
    if (c == 0) c = Integer.compare(patch, o.patch);
    if (c != 0) return c;
    if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
      return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
    }
    String[] a = preRelease.split("\\.");
    String[] b = o.preRelease.split("\\.");
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      boolean an = a[i].chars().allMatch(Character::isDigit);
      boolean bn = b[i].chars().allMatch(Character::isDigit);
      int r =
          an && bn
              ? Long.compare(Long.parseLong(a[i]), Long.parseLong(b[i]))
              : an ? -1 : bn ? 1 : a[i].compareTo(b[i]);
      if (r != 0) return r;
    }
    return Integer.compare(a.length, b.length);
  }
}
