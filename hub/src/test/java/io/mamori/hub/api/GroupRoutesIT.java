package io.mamori.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/thing-types} and {@code /api/v1/thing-groups} over HTTPS. */
class GroupRoutesIT {
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
  void thingTypesCanBeCreatedDeprecatedAndDeleted() throws Exception {
    var created =
        hub.post(
            "/api/v1/thing-types",
            "{\"name\":\"camera\",\"description\":\"IP camera\","
                + "\"searchableAttributes\":[\"model\"]}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("searchableAttributes").get(0).asText()).isEqualTo("model");

    assertThat(hub.post("/api/v1/things", "{\"name\":\"c1\",\"thingType\":\"nope\"}").status())
        .isEqualTo(400);
    assertThat(
            hub.post("/api/v1/thing-types/camera/deprecate", "{}")
                .json()
                .path("deprecated")
                .asBoolean())
        .isTrue();
    var refused = hub.post("/api/v1/things", "{\"name\":\"c1\",\"thingType\":\"camera\"}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("message").asText()).contains("deprecated");
    assertThat(hub.delete("/api/v1/thing-types/camera").status()).isEqualTo(204);
    assertThat(hub.get("/api/v1/thing-types/camera").status()).isEqualTo(404);
  }

  @Test
  void groupsMembersAndPolicies() throws Exception {
    assertThat(hub.post("/api/v1/thing-groups", "{\"name\":\"site\"}").status()).isEqualTo(201);
    assertThat(
            hub.post("/api/v1/thing-groups", "{\"name\":\"floor\",\"parent\":\"site\"}").status())
        .isEqualTo(201);
    assertThat(hub.post("/api/v1/things", "{\"name\":\"t1\"}").status()).isEqualTo(201);
    assertThat(hub.put("/api/v1/thing-groups/floor/things/t1", "").status()).isEqualTo(204);

    assertThat(hub.get("/api/v1/thing-groups/site/things").json().path("things")).isEmpty();
    assertThat(
            hub.get("/api/v1/thing-groups/site/all-things").json().path("things").get(0).asText())
        .isEqualTo("t1");
    assertThat(hub.get("/api/v1/things/t1/thing-groups").json().path("thingGroups")).hasSize(2);
    var site = hub.get("/api/v1/thing-groups/site").json();
    assertThat(site.path("type").asText()).isEqualTo("STATIC");
    assertThat(site.path("children").get(0).asText()).isEqualTo("floor");

    var refused = hub.delete("/api/v1/thing-groups/site");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("message").asText()).contains("sub-groups (floor)");
    assertThat(hub.put("/api/v1/thing-groups/site/policies/missing", "").status()).isEqualTo(404);
  }

  @Test
  void aBadQueryIsABadRequestNamingThePosition() throws Exception {
    var answer =
        hub.post(
            "/api/v1/thing-groups",
            "{\"name\":\"cams\",\"query\":\"attributes.model:cam-* AND OR thingName:x\"}");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("message").asText())
        .startsWith("invalid query at character 28: 'OR' needs a term before it");
  }

  @Test
  void aDynamicGroupListsWhatItsQueryMatches() throws Exception {
    hub.post("/api/v1/things", "{\"name\":\"cam-1\",\"attributes\":{\"model\":\"cam-x\"}}");
    hub.post("/api/v1/things", "{\"name\":\"th-1\",\"attributes\":{\"model\":\"therm\"}}");
    var created =
        hub.post(
            "/api/v1/thing-groups", "{\"name\":\"cams\",\"query\":\"attributes.model:cam-*\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("type").asText()).isEqualTo("DYNAMIC");
    await()
        .until(
            () ->
                hub.get("/api/v1/thing-groups/cams")
                    .json()
                    .path("status")
                    .asText()
                    .equals("ACTIVE"));
    assertThat(hub.get("/api/v1/thing-groups/cams/things").json().path("things").toString())
        .isEqualTo("[\"cam-1\"]");
    assertThat(hub.put("/api/v1/thing-groups/cams/things/th-1", "").status()).isEqualTo(400);
  }
}
