package io.mamori.hub.mqtt.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RateBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void allowsOneSecondOfBurstThenRefillsAtTheRate() {
    var bucket = new RateBucket(10, 0);
    int allowed = 0;
    for (int i = 0; i < 100; i++) {
      allowed += bucket.tryAcquire(0) ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(10);
    assertThat(bucket.tryAcquire(SECOND / 20)).isFalse(); // half a token
    assertThat(bucket.tryAcquire(SECOND / 10)).isTrue();
    assertThat(bucket.idle(SECOND / 10)).isFalse();
    assertThat(bucket.idle(5 * SECOND)).isTrue();
  }

  @Test
  void zeroRateAllowsEverything() {
    var bucket = new RateBucket(0, 0);
    for (int i = 0; i < 1000; i++) {
      assertThat(bucket.tryAcquire(0)).isTrue();
    }
  }

  @Test
  void sourcesAreLimitedIndependently() throws Exception {
    var handler = new SourceRateLimitHandler(2);
    var a = InetAddress.getByName("192.0.2.1");
    var b = InetAddress.getByName("192.0.2.2");
    assertThat(handler.allow(a, 0)).isTrue();
    assertThat(handler.allow(a, 0)).isTrue();
    assertThat(handler.allow(a, 0)).isFalse();
    assertThat(handler.allow(b, 0)).isTrue();
    assertThat(handler.allow(a, SECOND)).isTrue();
  }
}
