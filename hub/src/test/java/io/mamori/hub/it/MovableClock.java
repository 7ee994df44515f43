package io.mamori.hub.it;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock plus an offset a test moves forward: time still passes (TLS, sessions), and a
 * test can skip a rollout window instead of waiting a minute for it. Never moves backwards.
 */
public final class MovableClock extends Clock {
  private final AtomicLong offsetMillis = new AtomicLong();

  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock moves forward only");
    }
    offsetMillis.addAndGet(by.toMillis());
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offsetMillis.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("UTC only");
  }
}
