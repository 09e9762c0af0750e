package io.freshet.tiles;

import io.freshet.metrics.FreshetMetrics;
import io.freshet.model.FeatureRecord;
import io.freshet.model.RecordShape;
import io.freshet.model.TierKey;
import io.freshet.tier.CoherentHotTier;
import io.freshet.tier.EventHistory;
import io.freshet.tier.TileCache;
import io.freshet.tier.TileStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The online read of event views' aggregations: from the hot tier when it holds the entity's
 * windows for the minutes now falls in (each fetch builds them for the minute after it too, and a
 * read fetches them again in the background before they run out); else from Redis (the whole tiles
 * the windows take) and Postgres (the events of their edge minutes, one indexed range each), asked
 * together; else, for an entity whose tiles are not built (a new entity, a flushed or restarted
 * Redis, a repair) or with Redis down, from its events in Postgres since the longest window began,
 * which also rebuilds its tiles in Redis. Every path builds the same {@link EntityWindows} from the
 * same arithmetic.
 */
public final class TileReader {

  private static final System.Logger LOG = System.getLogger(TileReader.class.getName());

  private final CoherentHotTier hot;
  private final TileStore store;
  private final EventHistory history;
  private final FreshetMetrics metrics;

  /**
   * The rebuilds this instance has under way, by entity. A read that finds an entity's tiles not
   * built while one is under way waits for it and reads Redis again instead of reading every event
   * of the window once more: the first read of a heavy entity (a million events) would otherwise
   * start as many rebuilds as reads arrive meanwhile. It cannot take the rebuild's own answer,
   * whose query may predate a write acknowledged before it asked.
   */
  private final ConcurrentHashMap<TierKey, Future<Void>> rebuilding = new ConcurrentHashMap<>();

  /**
   * How many of this instance's rebuilds have finished. A read that asked Redis before one finished
   * may have been told "not built" just before the install, and finds no rebuild under way once it
   * has the answer: it reads Redis again rather than start a second rebuild of the same entity.
   */
  private final AtomicLong rebuildsFinished = new AtomicLong();

  /** The newest fetch plan of each view: fetches within a stretch all take the same. */
  private final ConcurrentHashMap<String, FetchPlan> plans = new ConcurrentHashMap<>();

  /** The entities whose hot windows this instance is fetching again, each once at a time. */
  private final Set<TierKey> fetchingAgain = ConcurrentHashMap.newKeySet();

  /** How far past its fetch a hot entry's windows reach: its lifetime, at most a minute. */
  private final long horizonMicros;

  public TileReader(
      CoherentHotTier hot,
      TileStore store,
      EventHistory history,
      FreshetMetrics metrics,
      Duration hotLifetime) {
    this.horizonMicros = Math.min(hotLifetime.toNanos() / 1000, TileLadder.MINUTE);
    this.hot = hot;
    this.store = store;
    this.history = history;
    this.metrics = metrics;
  }

  /** Each entity's aggregations at {@code nowMicros}, aligned with {@code entityKeys}. */
  public Future<List<WindowValues>> read(ViewTiles view, List<String> entityKeys, long nowMicros) {
    TileCache cache = hot.tiles();
    boolean coherent = hot.coherent();
    Read read = new Read(view, entityKeys, nowMicros, coherent ? cache.mark() : -1, true);
    List<Integer> misses = new ArrayList<>();
    List<String> due = new ArrayList<>();
    for (int i = 0; i < entityKeys.size(); i++) {
      Object held = coherent ? cache.get(read.key(i)) : null;
      EntityWindows serving =
          held instanceof HotWindows ? ((HotWindows) held).servingAt(nowMicros) : null;
      if (serving == null) {
        misses.add(i);
        continue;
      }
      read.results[i] = serving.at(nowMicros, "hot");
      if (((HotWindows) held).dueAt(nowMicros, entityKeys.get(i), horizonMicros)
          && fetchingAgain.add(read.key(i))) {
        due.add(entityKeys.get(i));
      }
    }
    if (coherent) {
      metrics.tierHits("hot", entityKeys.size() - misses.size(), misses.size());
    }
    if (!due.isEmpty()) {
      fetchAgain(view, due, nowMicros);
    }
    if (misses.isEmpty()) {
      return Future.succeededFuture(read.answer());
    }
    Future<Void> below =
        store.isUp()
            ? fromWarm(read, misses, Turn.FIRST).recover(e -> fromCold(read, misses, null))
            : fromCold(read, misses, null);
    return below.map(done -> read.answer());
  }

  /**
   * Fetches these entities' windows from Redis and Postgres again, into the hot tier only, before
   * the ones held run out. An entity whose tiles are not built is left to its next read.
   */
  private void fetchAgain(ViewTiles view, List<String> entityKeys, long nowMicros) {
    Read again = new Read(view, entityKeys, nowMicros, hot.tiles().mark(), false);
    List<Integer> all = new ArrayList<>(entityKeys.size());
    for (int i = 0; i < entityKeys.size(); i++) {
      all.add(i);
    }
    Future<Void> fetched =
        store.isUp()
            ? fromWarm(again, all, Turn.LAST)
            : Future.failedFuture("the warm tier is down");
    fetched.onComplete(
        done -> {
          all.forEach(i -> fetchingAgain.remove(again.key(i)));
          if (done.failed()) {
            LOG.log(System.Logger.Level.DEBUG, "windows not fetched again: " + done.cause());
          }
        });
  }

  /** One read's state: what each entity's answer is so far. */
  private final class Read {
    final ViewTiles view;
    final List<String> keys;
    final long now;

    /**
     * Now, then where the windows' minutes change before the horizon: windows for each. Worked out
     * only by a read that goes below the hot tier, as its plan is (volatile: Redis's and Postgres's
     * answers may come back on other threads).
     */
    private volatile long[] instants;

    final long mark;

    /** The warm tier's epoch before anything was read: what rebuilt tiles are installed under. */
    final long warmEpoch;

    /** Whether a caller waits for its values; if not, it only fills the hot tier. */
    final boolean answers;

    final WindowValues[] results;

    private volatile FetchPlan plan;

    Read(ViewTiles view, List<String> keys, long now, long mark, boolean answers) {
      this.view = view;
      this.keys = keys;
      this.now = now;
      this.mark = mark;
      this.warmEpoch = store.epoch();
      this.answers = answers;
      this.results = new WindowValues[keys.size()];
    }

    TierKey key(int i) {
      return new TierKey(view.name(), keys.get(i));
    }

    long[] instants() {
      if (instants == null) {
        instants = EntityWindows.instants(view, now, now + horizonMicros);
      }
      return instants;
    }

    FetchPlan plan() {
      if (plan == null) {
        FetchPlan held = plans.get(view.name());
        plan = FetchPlan.of(view, instants(), held);
        if (plan != held) {
          plans.put(view.name(), plan);
        }
      }
      return plan;
    }

    List<String> keysAt(List<Integer> indexes) {
      List<String> at = new ArrayList<>(indexes.size());
      indexes.forEach(i -> at.add(keys.get(i)));
      return at;
    }

    List<WindowValues> answer() {
      return Arrays.asList(results);
    }
  }

  /**
   * Which of a read's turns at Redis this is: whether it may wait for another read's rebuild of an
   * entity it finds not built, and whether it may read Redis again when a rebuild finished while it
   * asked. Each is allowed once, so a read asks Redis at most three times.
   */
  private enum Turn {
    /** May wait for a rebuild under way, or read again if one finished meanwhile. */
    FIRST,
    /** Read again after a rebuild finished: may still wait for one under way. */
    AGAIN,
    /** After waiting, or only filling the hot tier: rebuilds alone, and none waits for it. */
    LAST;

    boolean mayWait() {
      return this != LAST;
    }
  }

  private Future<Void> fromWarm(Read read, List<Integer> misses, Turn turn) {
    FetchPlan plan = read.plan();
    List<TileStore.Query> queries = new ArrayList<>(misses.size());
    misses.forEach(i -> queries.add(new TileStore.Query(read.key(i), plan.fields)));
    long finishedBefore = rebuildsFinished.get();
    Future<List<TileStore.Found>> found = store.read(queries);
    Future<List<EventHistory.StoredEvent>> edges =
        history.inRanges(read.view.name(), read.keysAt(misses), plan.rangeFrom, plan.rangeTo);
    return found.compose(
        held ->
            edges.compose(
                events -> {
                  Map<String, List<TileEvent>> byKey = byKey(read.view, events);
                  List<Integer> unbuilt = new ArrayList<>();
                  List<String> generations = new ArrayList<>();
                  for (int m = 0; m < misses.size(); m++) {
                    int i = misses.get(m);
                    TileStore.Found entity = held.get(m);
                    if (!entity.built()) {
                      unbuilt.add(i);
                      generations.add(entity.generation());
                      continue;
                    }
                    Map<TileLadder.Tile, TileVector> vectors =
                        decode(read.view, plan.tiles, entity.values());
                    answer(
                        read,
                        i,
                        vectors::get,
                        byKey.getOrDefault(read.keys.get(i), List.of()),
                        "warm");
                  }
                  if (!read.answers) {
                    return Future.<Void>succeededFuture();
                  }
                  metrics.tierHits("warm", misses.size() - unbuilt.size(), unbuilt.size());
                  return unbuilt.isEmpty()
                      ? Future.<Void>succeededFuture()
                      : rebuild(read, unbuilt, generations, turn, finishedBefore);
                }));
  }

  /**
   * Rebuilds the entities no other read of this instance is rebuilding; waits for those that one
   * is, then reads them from Redis again. If one of this instance's rebuilds finished since this
   * read asked Redis ({@code finishedBefore}), its "not built" may predate that rebuild's install:
   * on its first turn it reads those entities again rather than rebuild them a second time.
   */
  private Future<Void> rebuild(
      Read read, List<Integer> unbuilt, List<String> generations, Turn turn, long finishedBefore) {
    boolean readAgain = turn == Turn.FIRST && rebuildsFinished.get() != finishedBefore;
    List<Integer> own = new ArrayList<>();
    List<String> ownGenerations = new ArrayList<>();
    List<Integer> waiting = new ArrayList<>();
    List<Future<Void>> others = new ArrayList<>();
    List<Integer> again = new ArrayList<>();
    Promise<Void> done = Promise.promise();
    for (int n = 0; n < unbuilt.size(); n++) {
      int i = unbuilt.get(n);
      Future<Void> other =
          !turn.mayWait()
              ? null
              : readAgain
                  ? rebuilding.get(read.key(i))
                  : rebuilding.putIfAbsent(read.key(i), done.future());
      if (other != null) {
        waiting.add(i);
        others.add(other);
      } else if (readAgain) {
        again.add(i);
      } else {
        own.add(i);
        ownGenerations.add(generations.get(n));
      }
    }
    List<Future<Void>> parts = new ArrayList<>(3);
    if (!own.isEmpty()) {
      Future<Void> rebuilt = fromCold(read, own, ownGenerations);
      if (turn.mayWait()) {
        rebuilt.onComplete(
            finished -> {
              rebuildsFinished.incrementAndGet();
              own.forEach(i -> rebuilding.remove(read.key(i), done.future()));
              done.complete();
            });
      }
      parts.add(rebuilt);
    }
    if (!waiting.isEmpty()) {
      parts.add(Future.join(others).transform(finished -> fromWarm(read, waiting, Turn.LAST)));
    }
    if (!again.isEmpty()) {
      parts.add(fromWarm(read, again, Turn.AGAIN));
    }
    return Future.all(parts).mapEmpty();
  }

  private static Map<TileLadder.Tile, TileVector> decode(
      ViewTiles view, List<TileLadder.Tile> tiles, List<byte[]> values) {
    Map<TileLadder.Tile, TileVector> vectors = new HashMap<>();
    for (int t = 0; t < tiles.size(); t++) {
      if (values.get(t) != null) {
        vectors.put(tiles.get(t), TileVector.decode(view, values.get(t)));
      }
    }
    return vectors;
  }

  /**
   * From every event since the longest window began. With {@code generations} (what Redis said
   * before this read), the rebuilt tiles are installed for the next reads, unless a write moved the
   * generation since or a committed batch of the entity may still be on its way to Redis: its
   * writer could then add its events to tiles that already count them.
   */
  private Future<Void> fromCold(Read read, List<Integer> indexes, List<String> generations) {
    long since =
        Math.floorDiv(read.now - read.view.longest(), TileLadder.DAY) * TileLadder.DAY
            - TileLadder.DAY;
    long[] edgeMinutes = read.plan().edgeMinutes;
    RecordShape shape = read.view.view().fieldShape();
    Map<String, EntityTiles> tiles = new HashMap<>();
    Map<String, List<TileEvent>> edges = new HashMap<>();
    for (int i : indexes) {
      tiles.put(read.keys.get(i), new EntityTiles(read.view));
      edges.put(read.keys.get(i), new ArrayList<>());
    }
    return history
        .since(
            read.view.name(),
            read.keysAt(indexes),
            since,
            stored -> {
              TileEvent event = event(stored, shape);
              tiles.get(stored.entityKey()).add(event, read.now);
              if (Arrays.binarySearch(edgeMinutes, TileLadder.floorMinute(event.eventMicros()))
                  >= 0) {
                edges.get(stored.entityKey()).add(event);
              }
            })
        .compose(
            unsettled -> {
              List<Future<Void>> installs = new ArrayList<>();
              for (int n = 0; n < indexes.size(); n++) {
                int i = indexes.get(n);
                String key = read.keys.get(i);
                EntityTiles entity = tiles.get(key);
                answer(read, i, entity::get, edges.get(key), "cold");
                if (generations != null) {
                  installs.add(
                      install(
                          read,
                          i,
                          entity,
                          generations.get(n),
                          unsettled.getOrDefault(key, List.of())));
                }
              }
              metrics.tierHits("cold", indexes.size(), 0);
              // Answered once the tiles are back, so the next read finds them.
              return Future.join(installs).<Void>mapEmpty().otherwiseEmpty();
            });
  }

  private Future<Void> install(
      Read read, int i, EntityTiles tiles, String generation, List<Long> counted) {
    List<byte[]> values = new ArrayList<>(tiles.all().size());
    tiles.all().values().forEach(vector -> values.add(vector.encode()));
    return store
        .install(
            read.view.change(read.key(i), generation, tiles.fields(), values, read.now),
            counted,
            read.warmEpoch)
        .onFailure(e -> LOG.log(System.Logger.Level.DEBUG, "tiles not installed: " + e))
        .mapEmpty();
  }

  /**
   * Builds entity {@code i}'s windows for each of the read's instants, keeps them in the hot tier
   * and answers from the first.
   */
  private void answer(
      Read read,
      int i,
      Function<TileLadder.Tile, TileVector> tiles,
      List<TileEvent> edgeEvents,
      String tier) {
    long[] instants = read.instants();
    EntityWindows[] windows = new EntityWindows[instants.length];
    for (int n = 0; n < windows.length; n++) {
      windows[n] =
          EntityWindows.build(read.view, instants[n], read.plan().takes[n], tiles, edgeEvents);
    }
    if (read.mark >= 0) {
      hot.tiles().fill(read.key(i), new HotWindows(windows, read.now), read.mark);
    }
    if (read.answers) {
      read.results[i] = windows[0].at(read.now, tier);
    }
  }

  static Map<String, List<TileEvent>> byKey(ViewTiles view, List<EventHistory.StoredEvent> events) {
    RecordShape shape = view.view().fieldShape();
    Map<String, List<TileEvent>> byKey = new HashMap<>();
    for (EventHistory.StoredEvent event : events) {
      byKey.computeIfAbsent(event.entityKey(), k -> new ArrayList<>()).add(event(event, shape));
    }
    return byKey;
  }

  private static TileEvent event(EventHistory.StoredEvent stored, RecordShape shape) {
    Object[] fields =
        FeatureRecord.ofJson(stored.eventMicros(), stored.ingestedMicros(), stored.json())
            .values(shape);
    return new TileEvent(stored.eventMicros(), stored.ingestedMicros(), stored.sequence(), fields);
  }
}
