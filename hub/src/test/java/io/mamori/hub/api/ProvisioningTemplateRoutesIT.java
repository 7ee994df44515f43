package io.mamori.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/provisioning-templates} over HTTPS. */
class ProvisioningTemplateRoutesIT {
  private static final String TEMPLATE =
      "{\"Parameters\":{\"Serial\":{\"Type\":\"String\"}},\"Resources\":{"
          + "\"c\":{\"Type\":\"AWS::IoT::Certificate\",\"Properties\":{\"CertificateId\":"
          + "{\"Ref\":\"AWS::IoT::Certificate::Id\"}}},"
          + "\"t\":{\"Type\":\"AWS::IoT::Thing\",\"Properties\":{\"ThingName\":{\"Ref\":\"Serial\"}}}}}";

  @TempDir Path dir;
  private ApiTestHub hub;

  @BeforeEach
  void start() throws Exception {
    hub = new ApiTestHub(dir);
  }

  @AfterEach
  void stop() throws Exception {
    hub.close();
  }

  @Test
  void templatesAreValidatedStoredChangedAndDeleted() throws Exception {
    var created =
        hub.post(
            "/api/v1/provisioning-templates",
            "{\"name\":\"fleet\",\"body\":" + TEMPLATE + ",\"enabled\":true}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("enabled").asBoolean()).isTrue();
    assertThat(created.json().path("version").asLong()).isEqualTo(1);

    assertThat(
            hub.post(
                    "/api/v1/provisioning-templates",
                    "{\"name\":\"fleet\",\"body\":" + TEMPLATE + "}")
                .status())
        .isEqualTo(409);
    var bad =
        hub.post(
            "/api/v1/provisioning-templates",
            "{\"name\":\"bad\",\"body\":" + TEMPLATE.replace("\"Serial\"}", "\"Serie\"}") + "}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("message").asText()).contains("undeclared parameter 'Serie'");
    var badHook =
        hub.post(
            "/api/v1/provisioning-templates",
            "{\"name\":\"h\",\"body\":" + TEMPLATE + ",\"preProvisioningHook\":\"ftp://x\"}");
    assertThat(badHook.status()).isEqualTo(400);
    assertThat(
            hub.post(
                    "/api/v1/provisioning-templates",
                    "{\"name\":\"a b\",\"body\":" + TEMPLATE + "}")
                .status())
        .isEqualTo(400);

    var disabled = hub.put("/api/v1/provisioning-templates/fleet", "{\"enabled\":false}");
    assertThat(disabled.status()).isEqualTo(200);
    assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
    assertThat(disabled.json().path("version").asLong()).isEqualTo(2);
    assertThat(disabled.json().path("body").asText()).isEqualTo(TEMPLATE);
    assertThat(
            hub.put("/api/v1/provisioning-templates/fleet", "{\"body\":{\"Resources\":{}}}")
                .status())
        .isEqualTo(400);

    var list = hub.get("/api/v1/provisioning-templates");
    assertThat(list.json().path("templates")).hasSize(1);
    assertThat(list.json().path("templates").get(0).has("body")).isFalse();
    assertThat(hub.events).anyMatch(e -> e.type().equals("provisioning.template-updated"));

    assertThat(hub.delete("/api/v1/provisioning-templates/fleet").status()).isEqualTo(204);
    assertThat(hub.get("/api/v1/provisioning-templates/fleet").status()).isEqualTo(404);
  }
}
