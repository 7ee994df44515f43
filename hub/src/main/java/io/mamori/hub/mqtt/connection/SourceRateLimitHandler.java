package io.mamori.hub.mqtt.connection;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses new connections from one source address above {@code perSecond} (one second of burst):
 * the socket is closed before any TLS work, so a CONNECT flood costs the hub an accept and a close,
 * not a handshake. Off when {@code perSecond <= 0}: fleets behind one NAT address would otherwise
 * be throttled together.
 */
@Sharable
public final class SourceRateLimitHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SourceRateLimitHandler.class);

  /** Bounds the memory an attacker with many addresses can make this table take. */
  static final int MAX_SOURCES = 100_000;

  private final int perSecond;
  private final ConcurrentHashMap<InetAddress, RateBucket> sources = new ConcurrentHashMap<>();

  public SourceRateLimitHandler(int perSecond) {
    this.perSecond = perSecond;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (perSecond > 0
        && ctx.channel().remoteAddress() instanceof InetSocketAddress remote
        && !allow(remote.getAddress(), System.nanoTime())) {
      log.info("connection refused, rate per source above {}/s remote={}", perSecond, remote);
      ctx.close();
      return;
    }
    super.channelActive(ctx);
    ctx.pipeline().remove(this);
  }

  boolean allow(InetAddress source, long nowNanos) {
    if (sources.size() >= MAX_SOURCES) {
      sources.values().removeIf(bucket -> bucket.idle(nowNanos));
      if (sources.size() >= MAX_SOURCES) {
        // Still full of active sources: forget them all rather than grow without bound.
        sources.clear();
      }
    }
    boolean[] allowed = new boolean[1];
    sources.compute(
        source,
        (address, bucket) -> {
          RateBucket b = bucket != null ? bucket : new RateBucket(perSecond, nowNanos);
          allowed[0] = b.tryAcquire(nowNanos);
          return b;
        });
    return allowed[0];
  }
}
