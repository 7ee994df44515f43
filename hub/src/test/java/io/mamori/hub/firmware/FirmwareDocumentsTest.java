package io.mamori.hub.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwareDocumentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ID = "c".repeat(64);
  @TempDir Path dir;

  @Test
  void placeholdersBecomeThisThingsUrlAndTheStoredDocumentStaysAsItWas() throws Exception {
    var documents =
        new FirmwareDocuments(
            DownloadUrls.loadOrCreate(dir, Duration.ofMinutes(15), Clock.systemUTC()),
            () -> "https://hub:8443");
    ObjectNode stored =
        (ObjectNode)
            JSON.readTree(
                "{\"operation\":\"ota\",\"firmware\":{\"url\":\"${mamori:firmware-url:"
                    + ID
                    + "}\"},\"files\":[\"${mamori:firmware-url:"
                    + ID
                    + "}\",\"keep\"]}");
    String before = stored.toString();

    ObjectNode delivered = documents.forThing("cam-1", stored);

    assertThat(stored.toString()).isEqualTo(before);
    assertThat(delivered.path("firmware").path("url").asText())
        .startsWith("https://hub:8443/api/v1/firmware/" + ID + "/download?thing=cam-1&expires=");
    assertThat(delivered.path("files").get(0).asText()).contains("thing=cam-1");
    assertThat(delivered.path("files").get(1).asText()).isEqualTo("keep");
    assertThat(documents.forThing("cam-2", stored).path("firmware").path("url").asText())
        .contains("thing=cam-2");
  }

  @Test
  void aDocumentWithoutPlaceholdersIsPassedThrough() throws Exception {
    var documents =
        new FirmwareDocuments(
            DownloadUrls.loadOrCreate(dir, Duration.ofMinutes(15), Clock.systemUTC()),
            () -> "https://hub:8443");
    ObjectNode stored = (ObjectNode) JSON.readTree("{\"operation\":\"reboot\"}");
    assertThat(documents.forThing("cam-1", stored)).isSameAs(stored);
  }
}
