package io.freshet.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Redis Cluster of the test's own: three masters and three replicas, each a {@code redis-server
 * --cluster-enabled yes} on spare loopback ports (its bus on another spare port), its files in a
 * temporary directory, made a cluster by {@code redis-cli --cluster create}. A node that stops
 * answering is failed over within about a second ({@code cluster-node-timeout} 500 ms). Closing it
 * kills every node and removes the directory.
 */
public final class RedisCluster implements AutoCloseable {

  private static final int NODE_TIMEOUT_MS = 500;

  private final Path dir;
  private final List<RedisProcess> nodes = new ArrayList<>();

  public RedisCluster() {
    try {
      dir = Files.createTempDirectory("freshet-test-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      for (int i = 0; i < 6; i++) {
        nodes.add(node(i));
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
      create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      run(create);
      awaitReady();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Node {@code i}: its port and its bus port picked together, so never the same one. */
  private RedisProcess node(int i) {
    for (int attempt = 1; ; attempt++) {
      int[] ports = FreshetFixture.freePorts(2);
      try {
        return new RedisProcess(
            ports[0],
            "--cluster-enabled",
            "yes",
            "--cluster-port",
            Integer.toString(ports[1]),
            "--cluster-node-timeout",
            Integer.toString(NODE_TIMEOUT_MS),
            // A replica's first sync would otherwise wait five seconds for others to join it.
            "--repl-diskless-sync-delay",
            "0",
            "--cluster-config-file",
            dir.resolve("nodes-" + i + ".conf").toString(),
            "--dir",
            dir.toString());
      } catch (RedisProcess.PortTaken e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** {@code FRESHET_REDIS_URL} for the cluster: every node, comma-separated. */
  public String url() {
    return nodes.stream()
        .map(n -> "redis://127.0.0.1:" + n.port())
        .collect(Collectors.joining(","));
  }

  /** The URL of one node only, as a deployment that lists a single seed has. */
  public String seedUrl() {
    return "redis://127.0.0.1:" + nodes.get(0).port();
  }

  /** The node (alive) that is master of {@code key}'s slot now. */
  public RedisProcess masterOf(String key) {
    return masterOfSlot(slotOf(key));
  }

  /** The slot Redis puts {@code key} in. */
  public int slotOf(String key) {
    return Integer.parseInt(cli(anyAlive(), "CLUSTER", "KEYSLOT", key).strip());
  }

  /** The node at a CLUSTER NODES address ({@code ip:port@bus}). */
  private RedisProcess node(String address) {
    int port = Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
    return nodes.stream()
        .filter(n -> n.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no node on " + port));
  }

  private RedisProcess anyAlive() {
    for (RedisProcess node : nodes) {
      if (node.isAlive()) {
        return node;
      }
    }
    throw new IllegalStateException("every node of the cluster is down");
  }

  public List<RedisProcess> nodes() {
    return List.copyOf(nodes);
  }

  /**
   * Waits until every live node says the cluster is ok, has marked every killed node failed, and
   * every replica's link to its master is up (so a failover finds the data there).
   */
  public void awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    while (System.nanoTime() < deadline) {
      last = notReady();
      if (last == null) {
        return;
      }
      pause(50);
    }
    throw new IllegalStateException("cluster not ready within 30 s: " + last);
  }

  private String notReady() {
    for (RedisProcess node : nodes) {
      if (!node.isAlive()) {
        continue;
      }
      String info = cli(node, "CLUSTER", "INFO");
      if (!info.contains("cluster_state:ok")) {
        return node.port() + " says " + info.lines().findFirst().orElse("");
      }
      for (String line : cli(node, "CLUSTER", "NODES").split("\n")) {
        String[] fields = line.split(" ");
        if (fields.length > 2
            && !node(fields[1]).isAlive()
            && !List.of(fields[2].split(",")).contains("fail")) {
          return node.port() + " has not yet marked " + fields[1] + " failed";
        }
      }
      String replication = cli(node, "INFO", "replication");
      if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
        return node.port() + " is a replica whose link is not up";
      }
      if (replication.contains("role:slave") && replication.contains("master_sync_in_progress:1")) {
        return node.port() + " is still syncing";
      }
    }
    return null;
  }

  /**
   * Moves {@code slot} to another master as {@code redis-cli --cluster reshard} does, key by key
   * (CLUSTER SETSLOT IMPORTING and MIGRATING, MIGRATE, then SETSLOT NODE on every master, the new
   * owner first), while clients keep using it: they meet ASK during the move and MOVED after it.
   */
  public void moveSlot(int slot) {
    RedisProcess from = masterOfSlot(slot);
    RedisProcess to = masters().stream().filter(m -> m != from).findFirst().orElseThrow();
    String toId = cli(to, "CLUSTER", "MYID").strip();
    String fromId = cli(from, "CLUSTER", "MYID").strip();
    cli(to, "CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", fromId);
    cli(from, "CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", toId);
    while (true) {
      String keys = cli(from, "CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), "100").strip();
      if (keys.isEmpty()) {
        break;
      }
      List<String> migrate =
          new ArrayList<>(
              List.of(
                  "MIGRATE", "127.0.0.1", Integer.toString(to.port()), "", "0", "5000", "KEYS"));
      migrate.addAll(List.of(keys.split("\n")));
      cli(from, migrate.toArray(String[]::new));
    }
    // The new owner first, then the old, as redis-cli does: the other way round, for a moment the
    // old owner sends clients to a node that still sends them back (MOVED both ways), and a
    // client gives up after its redirects, which no deployment's reshard would make it do.
    List<RedisProcess> order = new ArrayList<>(List.of(to, from));
    masters().stream().filter(m -> m != to && m != from).forEach(order::add);
    for (RedisProcess master : order) {
      cli(master, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", toId);
    }
  }

  private RedisProcess masterOfSlot(int slot) {
    for (String line : cli(anyAlive(), "CLUSTER", "NODES").split("\n")) {
      String[] fields = line.split(" ");
      if (!fields[2].contains("master") || fields[2].contains("fail")) {
        continue;
      }
      for (int i = 8; i < fields.length; i++) {
        if (fields[i].startsWith("[")) {
          continue;
        }
        String[] range = fields[i].split("-");
        int first = Integer.parseInt(range[0]);
        int last = range.length == 1 ? first : Integer.parseInt(range[1]);
        if (slot >= first && slot <= last) {
          return node(fields[1]);
        }
      }
    }
    throw new IllegalStateException("no master holds slot " + slot);
  }

  /** The live replica of {@code master}. */
  public RedisProcess replicaOf(RedisProcess master) {
    String id = cli(master, "CLUSTER", "MYID").strip();
    for (String line : cli(master, "CLUSTER", "NODES").split("\n")) {
      String[] fields = line.split(" ");
      if (fields[3].equals(id) && !fields[2].contains("fail")) {
        return node(fields[1]);
      }
    }
    throw new IllegalStateException("master " + master.port() + " has no live replica");
  }

  /** The live masters now. */
  public List<RedisProcess> masters() {
    List<RedisProcess> masters = new ArrayList<>();
    for (String line : cli(anyAlive(), "CLUSTER", "NODES").split("\n")) {
      String[] fields = line.split(" ");
      if (fields.length > 2 && fields[2].contains("master") && !fields[2].contains("fail")) {
        masters.add(node(fields[1]));
      }
    }
    return masters;
  }

  /** A redis-cli command against one node; its output (raw, one value a line). */
  public static String cli(RedisProcess node, String... command) {
    List<String> args =
        new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(node.port()), "--raw"));
    args.addAll(List.of(command));
    return run(args);
  }

  private static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void pause(long millis) {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Override
  public void close() {
    for (RedisProcess node : nodes) {
      node.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
