package io.mamori.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubEndpointTest {
  @TempDir Path dir;

  @Test
  void readsTheFileTheHubWrites() throws Exception {
    Path file = dir.resolve("endpoint.json");
    Files.writeString(
        file,
        "{\"mqtt\":{\"host\":\"0.0.0.0\",\"port\":8883},\"api\":{\"url\":\"https://127.0.0.1:8443\"}}");

    assertThat(HubEndpoint.read(file))
        .isEqualTo(new HubEndpoint("0.0.0.0", 8883, "https://127.0.0.1:8443"));
  }

  @Test
  void writtenEndpointReadsBack() {
    Path file = dir.resolve("sub/endpoint.json");
    var endpoint = new HubEndpoint("127.0.0.1", 41883, "https://127.0.0.1:48443");

    endpoint.write(file);

    assertThat(HubEndpoint.read(file)).isEqualTo(endpoint);
  }

  @Test
  void refusesAFileOfAnotherShape() throws Exception {
    Path file = dir.resolve("endpoint.json");
    Files.writeString(file, "{\"api\":{}}");

    assertThatThrownBy(() -> HubEndpoint.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must hold");
  }
}
