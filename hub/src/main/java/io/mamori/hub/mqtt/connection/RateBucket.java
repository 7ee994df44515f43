package io.mamori.hub.mqtt.connection;

/**
 * Token bucket: {@code perSecond} tokens a second, bursts up to one second's worth (a connection's
 * PUBLISHes, a source address's connects). Not thread-safe: used on one event loop, or under the
 * map lock of {@link SourceRateLimitHandler}.
 */
final class RateBucket {
  private final int perSecond;
  private final long nanosPerToken;
  private double tokens;
  private long last;

  /** {@code perSecond <= 0} allows everything. */
  RateBucket(int perSecond, long nowNanos) {
    this.perSecond = perSecond;
    this.nanosPerToken = perSecond > 0 ? 1_000_000_000L / perSecond : 0;
    this.tokens = perSecond;
    this.last = nowNanos;
  }

  /** Takes a token when one is available; false means this publish exceeds the rate. */
  boolean tryAcquire(long nowNanos) {
    if (perSecond <= 0) {
      return true;
    }
    long elapsed = nowNanos - last;
    if (elapsed > 0) {
      tokens = Math.min(perSecond, tokens + (double) elapsed / nanosPerToken);
      last = nowNanos;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** True when the bucket has refilled completely by {@code nowNanos}: it can be forgotten. */
  boolean idle(long nowNanos) {
    return perSecond <= 0 || tokens + (double) (nowNanos - last) / nanosPerToken >= perSecond;
  }
}
