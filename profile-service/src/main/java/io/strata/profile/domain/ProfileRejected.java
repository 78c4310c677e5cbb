package io.strata.profile.domain;

/** Why the profile aggregate refused a command; the REST edge maps each to its status. */
public sealed class ProfileRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ProfileRejected(String message) {
    super(message);
  }

  public static final class AlreadyExists extends ProfileRejected {
    private static final long serialVersionUID = 1L;

    public AlreadyExists(String message) {
      super(message);
    }
  }
}
