package io.freshet.tier;

import io.vertx.redis.client.impl.ZModem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Positions of keys grouped by their Redis Cluster slot (as the Redis client computes it), in the
 * order each slot first appears, each group at most {@code max} long: what one multi-key command or
 * script call in a cluster may cover.
 */
final class SlotGroups {

  private SlotGroups() {}

  static List<int[]> of(List<String> keys, int max) {
    Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      bySlot.computeIfAbsent(ZModem.generate(keys.get(i)), slot -> new ArrayList<>()).add(i);
    }
    List<int[]> groups = new ArrayList<>(bySlot.size());
    for (List<Integer> slot : bySlot.values()) {
      for (int from = 0; from < slot.size(); from += max) {
        List<Integer> part = slot.subList(from, Math.min(slot.size(), from + max));
        groups.add(part.stream().mapToInt(Integer::intValue).toArray());
      }
    }
    return groups;
  }

  /**
   * The keys' positions in groups of at most {@code max} that one script call may cover: the keys
   * of one slot in a cluster; on a single Redis, any keys, in order.
   */
  static List<int[]> ofCalls(RedisNodes nodes, List<String> keys, int max) {
    return nodes.isCluster() ? of(keys, max) : consecutive(keys.size(), max);
  }

  /** Positions 0 to {@code size} in order, {@code max} a group: for a single Redis. */
  private static List<int[]> consecutive(int size, int max) {
    List<int[]> groups = new ArrayList<>((size + max - 1) / max);
    for (int from = 0; from < size; from += max) {
      int[] group = new int[Math.min(size, from + max) - from];
      for (int i = 0; i < group.length; i++) {
        group[i] = from + i;
      }
      groups.add(group);
    }
    return groups;
  }
}
