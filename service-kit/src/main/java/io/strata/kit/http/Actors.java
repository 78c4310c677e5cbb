package io.strata.kit.http;

/** Request headers about who and why; the actor itself is the authenticated principal. */
public final class Actors {
  /** Ignored since authentication: the actor is the caller (kept here to say so in one place). */
  public static final String ACTOR_HEADER = "X-Strata-Actor";

  public static final String CORRELATION_HEADER = "X-Correlation-Id";

  private Actors() {}
}
