package io.mamori.hub.mqtt.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ConnectionLimitHandlerTest {
  @Test
  void connectionsOverTheLimitAreClosedAndClosedOnesFreeTheirSlot() {
    var limit = new ConnectionLimitHandler(1);
    var first = new EmbeddedChannel(limit);
    var second = new EmbeddedChannel(limit);
    assertThat(first.isOpen()).isTrue();
    assertThat(second.isOpen()).isFalse();

    first.close();
    var third = new EmbeddedChannel(limit);
    assertThat(third.isOpen()).isTrue();
    assertThat(limit.open()).isEqualTo(1);
  }
}
