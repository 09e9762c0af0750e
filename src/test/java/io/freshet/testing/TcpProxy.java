package io.freshet.testing;

import io.freshet.config.FreshetOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.pgclient.PgConnectOptions;
import java.util.HashSet;
import java.util.Set;

/**
 * A loopback TCP relay in front of a real server. {@link #cut()} drops every connection and refuses
 * new ones, as a crashed or unreachable server would; {@link #stall()} drops them and accepts new
 * ones it never answers on, as a server that hangs would; {@link #restore()} relays again. {@link
 * #cutMidStream(long)} drops a connection in the middle of what its client is sending.
 */
public final class TcpProxy {

  private final Vertx vertx;
  private final int targetPort;
  private final int port;
  private final NetClient client;
  private final Set<NetSocket> sockets = new HashSet<>();
  private NetServer server;
  private volatile boolean stalled;
  private volatile boolean held;
  private final java.util.concurrent.atomic.AtomicLong cutAfter =
      new java.util.concurrent.atomic.AtomicLong(-1);

  public TcpProxy(Vertx vertx, int targetPort) {
    this.vertx = vertx;
    this.targetPort = targetPort;
    this.port = FreshetFixture.freePort();
    this.client = vertx.createNetClient();
    restore();
  }

  public int port() {
    return port;
  }

  /** A relay in front of the Postgres the tests use, and the URL that reaches it through this. */
  public record ToPostgres(TcpProxy proxy, String url) {

    /**
     * Relays again and lets {@code f}'s cold tier reach Postgres, so that closing {@code f} can
     * drop its schema; then closes {@code f} and the relay.
     */
    public void closeWith(FreshetFixture f) {
      proxy.restore();
      try {
        f.freshet.tiers().cold().check().transform(ar -> Future.succeededFuture()).await();
        f.close();
      } finally {
        proxy.close();
      }
    }
  }

  public static ToPostgres toPostgres(Vertx vertx) {
    PgConnectOptions real =
        PgConnectOptions.fromUri(FreshetOptions.fromEnv(System.getenv()).pgUrl());
    TcpProxy proxy = new TcpProxy(vertx, real.getPort());
    return new ToPostgres(
        proxy,
        "postgresql://" + real.getUser() + "@127.0.0.1:" + proxy.port() + "/" + real.getDatabase());
  }

  public void restore() {
    if (stalled) {
      stalled = false;
      dropConnections();
    }
    listen();
  }

  public void stall() {
    stalled = true;
    dropConnections();
    listen();
  }

  /** Stops passing bytes on every connection, open or new, without closing any. */
  public void hold() {
    held = true;
    synchronized (sockets) {
      sockets.forEach(NetSocket::pause);
    }
  }

  /** Passes bytes again; what was sent meanwhile arrives now. */
  public void release() {
    held = false;
    synchronized (sockets) {
      sockets.forEach(NetSocket::resume);
    }
  }

  private void listen() {
    if (server != null) {
      return;
    }
    server =
        vertx
            .createNetServer()
            .connectHandler(
                inbound -> {
                  inbound.pause();
                  if (stalled) {
                    track(inbound);
                    return;
                  }
                  client
                      .connect(targetPort, "127.0.0.1")
                      .onSuccess(outbound -> relay(inbound, outbound))
                      .onFailure(e -> inbound.close());
                });
    server.listen(port, "127.0.0.1").await();
  }

  private void relay(NetSocket inbound, NetSocket outbound) {
    track(inbound);
    track(outbound);
    inbound.handler(data -> forward(data, inbound, outbound));
    outbound.handler(inbound::write);
    inbound.closeHandler(v -> outbound.close());
    outbound.closeHandler(v -> inbound.close());
    if (held) {
      outbound.pause();
    } else {
      inbound.resume();
    }
  }

  /**
   * After {@link #cutMidStream(long)}, counts what clients send: the byte that passes the limit is
   * not relayed, and its connection is closed at both ends right there, once.
   */
  private void forward(io.vertx.core.buffer.Buffer data, NetSocket inbound, NetSocket outbound) {
    long left = cutAfter.get();
    if (left < 0) {
      outbound.write(data);
      return;
    }
    if (data.length() <= left) {
      cutAfter.compareAndSet(left, left - data.length());
      outbound.write(data);
      return;
    }
    if (cutAfter.compareAndSet(left, -1)) {
      outbound.write(data.slice(0, (int) left));
      outbound.close();
      inbound.close();
    }
  }

  /**
   * Relays the next {@code bytes} bytes that clients send, then drops the connection that sends the
   * one after them: a statement cut off while it is on the wire.
   */
  public void cutMidStream(long bytes) {
    cutAfter.set(bytes);
  }

  private void track(NetSocket socket) {
    synchronized (sockets) {
      sockets.add(socket);
    }
  }

  public void cut() {
    if (server != null) {
      server.close().await();
      server = null;
    }
    dropConnections();
  }

  private void dropConnections() {
    synchronized (sockets) {
      sockets.forEach(NetSocket::close);
      sockets.clear();
    }
  }

  public void close() {
    cut();
    client.close().await();
  }
}
