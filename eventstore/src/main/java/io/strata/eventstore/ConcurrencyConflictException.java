package io.strata.eventstore;

/** Another writer appended to the aggregate first; the command may be retried on fresh state. */
public class ConcurrencyConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String aggregateId;
  private final long expectedSeq;

  public ConcurrencyConflictException(String aggregateId, long expectedSeq) {
    super(
        "aggregate "
            + aggregateId
            + " changed concurrently: expected it at sequence "
            + expectedSeq
            + ", another writer got there first");
    this.aggregateId = aggregateId;
    this.expectedSeq = expectedSeq;
  }

  public String aggregateId() {
    return aggregateId;
  }

  public long expectedSeq() {
    return expectedSeq;
  }
}
