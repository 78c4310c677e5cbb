package io.strata.reconciler.desired;

/**
 * The desired state cannot be rendered. {@code retryable}: the cause may go away by itself (a
 * revision or chart not here yet); otherwise only a new generation helps.
 */
public final class RenderFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public RenderFailure(String message, boolean retryable) {
    super(message, null, false, false);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
