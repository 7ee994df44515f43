package io.mamori.hub.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.registry.Thing;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqliteShadowRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shadow service over a real SQLite file: versions, deltas, documents and refusals. */
class ShadowServiceTest {
  private static final ShadowKey LAMP = ShadowKey.classic("lamp");

  @TempDir Path dir;
  private SqliteDatabase db;
  private ShadowService shadows;
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @BeforeEach
  void open() {
    db = SqliteDatabase.open(dir.resolve("mamori.db"));
    var things = new SqliteThingRepository(db);
    things.insert(new Thing("lamp", Optional.empty(), Map.of(), 1, now, now));
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
    shadows = new ShadowService(new SqliteShadowRepository(db), things, db, events::add, clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static byte[] payload(String text) {
    return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode json(String text) throws Exception {
    return ShadowRequest.JSON.readTree(payload(text));
  }

  private static JsonNode parse(byte[] bytes) throws Exception {
    return ShadowRequest.JSON.readTree(bytes);
  }

  /** As a device would read it: numbers re-parsed (a long 5 and an int 5 are the same JSON). */
  private static JsonNode wire(JsonNode node) throws Exception {
    return ShadowRequest.JSON.readTree(ShadowRequest.JSON.writeValueAsBytes(node));
  }

  @Test
  void firstUpdateCreatesVersionOneAndEchoesTheRequestWithMetadata() throws Exception {
    var result =
        shadows.update(
            LAMP, payload("{'state': {'desired': {'color': 'red'}}, 'clientToken': 't1'}"), "lamp");

    assertThat(result.accepted()).isTrue();
    assertThat(result.responseTopic()).isEqualTo("$aws/things/lamp/shadow/update/accepted");
    assertThat(wire(result.response()))
        .isEqualTo(
            json(
                "{'state': {'desired': {'color': 'red'}},"
                    + " 'metadata': {'desired': {'color': {'timestamp': 1767225600}}},"
                    + " 'version': 1, 'timestamp': 1767225600, 'clientToken': 't1'}"));
    assertThat(events).extracting(HubEvent::type).containsExactly("shadow.updated");
  }

  @Test
  void aDesiredChangeAddsTheDeltaAndTheDocumentsMessages() throws Exception {
    shadows.update(
        LAMP, payload("{'state': {'reported': {'color': 'green', 'on': true}}}"), "lamp");
    now = now.plusSeconds(10);

    var result =
        shadows.update(
            LAMP, payload("{'state': {'desired': {'color': 'red'}}, 'clientToken': 'c'}"), "admin");

    assertThat(result.notifications())
        .extracting(ShadowResult.ShadowMessage::topic)
        .containsExactly(
            "$aws/things/lamp/shadow/update/delta", "$aws/things/lamp/shadow/update/documents");
    assertThat(parse(result.notifications().get(0).payload()))
        .isEqualTo(
            json(
                "{'version': 2, 'timestamp': 1767225610, 'state': {'color': 'red'},"
                    + " 'metadata': {'color': {'timestamp': 1767225610}}, 'clientToken': 'c'}"));
    JsonNode documents = parse(result.notifications().get(1).payload());
    assertThat(documents.path("previous").path("version").asLong()).isEqualTo(1);
    assertThat(documents.path("previous").path("state"))
        .isEqualTo(json("{'reported': {'color': 'green', 'on': true}}"));
    assertThat(documents.path("current").path("state"))
        .isEqualTo(
            json("{'reported': {'color': 'green', 'on': true}, 'desired': {'color': 'red'}}"));
    assertThat(documents.path("current").path("version").asLong()).isEqualTo(2);
    assertThat(documents.path("clientToken").asText()).isEqualTo("c");
  }

  @Test
  void aReportThatMatchesDesiredPublishesNoDeltaAndGetShowsNone() throws Exception {
    shadows.update(LAMP, payload("{'state': {'desired': {'color': 'red'}}}"), "admin");

    var report = shadows.update(LAMP, payload("{'state': {'reported': {'color': 'red'}}}"), "lamp");

    assertThat(report.notifications())
        .extracting(ShadowResult.ShadowMessage::topic)
        .containsExactly("$aws/things/lamp/shadow/update/documents");
    var got = shadows.get(LAMP, payload("{'clientToken': 'g'}"));
    assertThat(got.response().path("state").has("delta")).isFalse();
    assertThat(got.response().path("version").asLong()).isEqualTo(2);
    assertThat(got.response().path("clientToken").asText()).isEqualTo("g");
  }

  @Test
  void getCarriesTheDeltaAndMetadata() throws Exception {
    shadows.update(
        LAMP,
        payload("{'state': {'desired': {'color': 'red'}, 'reported': {'color': 'blue'}}}"),
        "x");

    var got = shadows.get(LAMP, new byte[0]);

    assertThat(got.responseTopic()).isEqualTo("$aws/things/lamp/shadow/get/accepted");
    assertThat(got.response().path("state").path("delta")).isEqualTo(json("{'color': 'red'}"));
    assertThat(
            got.response()
                .path("metadata")
                .path("reported")
                .path("color")
                .path("timestamp")
                .asLong())
        .isEqualTo(1767225600L);
  }

  @Test
  void aStaleVersionIsAConflictAndChangesNothing() throws Exception {
    shadows.update(LAMP, payload("{'state': {'desired': {'a': 1}}}"), "x");
    shadows.update(LAMP, payload("{'state': {'desired': {'a': 2}}, 'version': 1}"), "x");

    var stale =
        shadows.update(
            LAMP,
            payload("{'state': {'desired': {'a': 3}}, 'version': 1, 'clientToken': 'k'}"),
            "x");

    assertThat(stale.accepted()).isFalse();
    assertThat(stale.responseTopic()).isEqualTo("$aws/things/lamp/shadow/update/rejected");
    assertThat(stale.response().path("code").asInt()).isEqualTo(409);
    assertThat(stale.response().path("message").asText()).isEqualTo("Version conflict");
    assertThat(stale.response().path("clientToken").asText()).isEqualTo("k");
    assertThat(shadows.reportedValue(LAMP, "a")).isEmpty();
    assertThat(
            shadows
                .get(LAMP, new byte[0])
                .response()
                .path("state")
                .path("desired")
                .path("a")
                .asInt())
        .isEqualTo(2);
  }

  @Test
  void deleteKeepsTheVersionCounterAndGetThenSaysNoShadow() throws Exception {
    shadows.update(LAMP, payload("{'state': {'reported': {'a': 1}}}"), "x");
    shadows.update(LAMP, payload("{'state': {'reported': {'a': 2}}}"), "x");

    var deleted = shadows.delete(LAMP, payload("{'clientToken': 'd'}"), "x");

    assertThat(deleted.response().path("version").asLong()).isEqualTo(2);
    assertThat(deleted.response().path("clientToken").asText()).isEqualTo("d");
    var missing = shadows.get(LAMP, new byte[0]);
    assertThat(missing.code()).isEqualTo(404);
    assertThat(missing.response().path("message").asText())
        .isEqualTo("No shadow exists with name: 'lamp'");
    assertThat(shadows.delete(LAMP, new byte[0], "x").code()).isEqualTo(404);

    var recreated = shadows.update(LAMP, payload("{'state': {'reported': {'b': 1}}}"), "x");
    assertThat(recreated.response().path("version").asLong()).isEqualTo(3);
    assertThat(parse(recreated.notifications().get(0).payload()).has("previous")).isFalse();
    assertThat(shadows.reported(LAMP)).contains((ObjectNode) json("{'b': 1}"));
  }

  @Test
  void namedShadowsAreSeparateAndListed() throws Exception {
    var firmware = ShadowKey.named("lamp", "firmware");
    shadows.update(firmware, payload("{'state': {'reported': {'version': '1.2'}}}"), "x");
    shadows.update(ShadowKey.named("lamp", "config"), payload("{'state': {'desired': {}}}"), "x");

    assertThat(shadows.namedShadows("lamp")).containsExactly("config", "firmware");
    assertThat(shadows.reportedValue(firmware, "version").map(JsonNode::asText)).contains("1.2");
    assertThat(shadows.get(LAMP, new byte[0]).code()).isEqualTo(404);
    assertThat(
            shadows
                .get(ShadowKey.named("lamp", "nope"), new byte[0])
                .response()
                .path("message")
                .asText())
        .isEqualTo("No shadow exists with name: 'nope'");
  }

  @Test
  void anUnknownThingIsNotFound() {
    var result = shadows.update(ShadowKey.classic("ghost"), payload("{'state': {}}"), "x");

    assertThat(result.code()).isEqualTo(404);
    assertThat(result.response().path("message").asText()).isEqualTo("Thing not found");
  }

  @Test
  void malformedRequestsGetTheAwsMessages() {
    assertThat(reject("{'state': ")).isEqualTo("400 Invalid JSON");
    assertThat(reject("[1]")).isEqualTo("400 Invalid JSON");
    assertThat(reject("{'a': 1, 'a': 2}")).isEqualTo("400 Invalid JSON");
    assertThat(reject("{'clientToken': 'x'}")).isEqualTo("400 Missing required node: state");
    assertThat(reject("{'state': 5}")).isEqualTo("400 State node must be an object");
    assertThat(reject("{'state': {'desired': 'on'}}"))
        .isEqualTo("400 Desired node must be an object");
    assertThat(reject("{'state': {'reported': [1]}}"))
        .isEqualTo("400 Reported node must be an object");
    assertThat(reject("{'state': {'delta': {}}}")).isEqualTo("400 State contains an invalid node");
    assertThat(reject("{'state': {'desired': {'a': [1, null]}}}"))
        .isEqualTo("400 State contains an invalid node");
    assertThat(reject("{'state': {}, 'version': 'x'}")).isEqualTo("400 Invalid version");
    assertThat(reject("{'state': {}, 'clientToken': '" + "t".repeat(65) + "'}"))
        .isEqualTo("400 Invalid clientToken");
    assertThat(reject("{'state': {'desired': {'a':{'b':{'c':{'d':{'e':{'f':{'g':1}}}}}}}}}"))
        .isEqualTo("400 JSON contains too many levels of nesting; maximum is 6");
    assertThat(reject("{'state': {'desired': {'big': '" + "x".repeat(9000) + "'}}}"))
        .isEqualTo("413 The payload exceeds the maximum size allowed");
    var notUtf8 = shadows.update(LAMP, new byte[] {'{', (byte) 0xC3, '}'}, "x");
    assertThat(notUtf8.code()).isEqualTo(415);
    assertThat(shadows.get(LAMP, new byte[0]).code()).isEqualTo(404);
  }

  @Test
  void sixLevelsAreAllowedAndTheResultMustStayWithinEightKilobytes() {
    assertThat(
            shadows
                .update(
                    LAMP,
                    payload("{'state': {'desired': {'a':{'b':{'c':{'d':{'e':{'f':1}}}}}}}}"),
                    "x")
                .accepted())
        .isTrue();
    String half = "x".repeat(5000);
    assertThat(
            shadows
                .update(LAMP, payload("{'state': {'desired': {'h1': '" + half + "'}}}"), "x")
                .accepted())
        .isTrue();
    assertThat(reject("{'state': {'desired': {'h2': '" + half + "'}}}"))
        .isEqualTo("413 The payload exceeds the maximum size allowed");
  }

  @Test
  void aRejectionEchoesAValidClientToken() {
    var result = shadows.update(LAMP, payload("{'clientToken': 'abc'}"), "x");

    assertThat(result.response().path("clientToken").asText()).isEqualTo("abc");
    assertThat(result.response().has("timestamp")).isTrue();
  }

  private String reject(String text) {
    var result = shadows.update(LAMP, payload(text), "x");
    assertThat(result.accepted()).isFalse();
    assertThat(result.response().path("code").asInt()).isEqualTo(result.code());
    return result.code() + " " + result.response().path("message").asText();
  }
}
