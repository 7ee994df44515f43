package io.mamori.agent.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamori.agent.AgentException;
import org.junit.jupiter.api.Test;

class EndpointTest {
  @Test
  void parsesHostPortForms() {
    assertThat(Endpoint.parse("hub.example:8884")).isEqualTo(new Endpoint("hub.example", 8884));
    assertThat(Endpoint.parse("localhost")).isEqualTo(new Endpoint("localhost", 8883));
    assertThat(Endpoint.parse("[::1]:9000")).isEqualTo(new Endpoint("::1", 9000));
    assertThat(Endpoint.parse("[::1]:9000").toString()).isEqualTo("[::1]:9000");
  }

  @Test
  void refusesBadPortsNamingThem() {
    assertThatThrownBy(() -> Endpoint.parse("hub:x"))
        .isInstanceOf(AgentException.class)
        .hasMessage("endpoint port 'x' is not a number");
    assertThatThrownBy(() -> Endpoint.parse("hub:0"))
        .hasMessage("endpoint port must be 1 to 65535, got 0");
    assertThatThrownBy(() -> Endpoint.parse(":8883")).hasMessage("endpoint host is empty");
  }
}
