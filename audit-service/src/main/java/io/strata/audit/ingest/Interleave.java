package io.strata.audit.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Orders a poll's records for the log: each partition's records stay in their order (the order of
 * their aggregate), and the partitions are merged by event time. A poll hands records over grouped
 * by partition; merged, a reconcile outcome is rarely logged before the spec change it followed.
 */
public final class Interleave {
  private Interleave() {}

  public static List<Incoming> byTime(List<List<Incoming>> partitions) {
    record Head(int partition, List<Incoming> list, int index) {
      Incoming value() {
        return list.get(index);
      }
    }
    PriorityQueue<Head> heads =
        new PriorityQueue<>(
            Comparator.comparing((Head h) -> h.value().time()).thenComparingInt(Head::partition));
    int total = 0;
    for (int i = 0; i < partitions.size(); i++) {
      List<Incoming> p = partitions.get(i);
      total += p.size();
      if (!p.isEmpty()) {
        heads.add(new Head(i, p, 0));
      }
    }
    List<Incoming> out = new ArrayList<>(total);
    while (!heads.isEmpty()) {
      Head h = heads.poll();
      out.add(h.value());
      if (h.index() + 1 < h.list().size()) {
        heads.add(new Head(h.partition(), h.list(), h.index() + 1));
      }
    }
    return out;
  }
}
