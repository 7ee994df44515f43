package io.mamori.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteOperationTest {
  @Test
  void templatesBuildTheDocumentsDevicesUnderstand() {
    assertThat(RemoteOperation.template("reboot").orElseThrow().document(Map.of()).toString())
        .isEqualTo("{\"operation\":\"reboot\"}");
    assertThat(
            RemoteOperation.template("factory-reset").orElseThrow().document(Map.of()).toString())
        .isEqualTo("{\"operation\":\"factory-reset\"}");
    assertThat(
            RemoteOperation.template("config")
                .orElseThrow()
                .document(Map.of("interval", "30"))
                .toString())
        .isEqualTo("{\"operation\":\"config\",\"settings\":{\"interval\":\"30\"}}");
  }

  @Test
  void otaIsNoTemplateAndBadSettingsAreRefused() {
    assertThat(RemoteOperation.template("ota")).isEmpty();
    assertThat(RemoteOperation.template("format-disk")).isEmpty();
    assertThatThrownBy(() -> RemoteOperation.CONFIG.document(Map.of()))
        .hasMessageContaining("at least one setting");
    assertThatThrownBy(() -> RemoteOperation.REBOOT.document(Map.of("a", "b")))
        .hasMessageContaining("takes no settings");
  }

  @Test
  void theOperationOfAStoredDocumentIsRecognised() {
    var document = RemoteOperation.FACTORY_RESET.document(Map.of());
    assertThat(RemoteOperation.of(document)).contains(RemoteOperation.FACTORY_RESET);
    assertThat(RemoteOperation.of(document.put("operation", "other"))).isEmpty();
  }
}
