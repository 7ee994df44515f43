package io.mamori.hub.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fleet query subset of reference §9.4: parsing, errors with positions, evaluation. */
class FleetQueryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final ShadowValues SHADOW =
      (thing, path) -> {
        JsonNode reported;
        try {
          reported =
              JSON.readTree(
                  "{\"firmware\": {\"version\": 12}, \"mode\": \"eco\", \"tags\": [\"a\", 7]}");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        JsonNode node = reported;
        for (String part : path.split("\\.")) {
          node = node.path(part);
        }
        return node.isMissingNode() ? Optional.empty() : Optional.of(node);
      };

  /** cam-01: a connected camera, model cam-x2, in group lobby, type camera, battery 42. */
  private static final IndexedThing CAMERA =
      new IndexedThing(
          "cam-01",
          Optional.of("camera"),
          Map.of("model", "cam-X2", "battery", "42", "site", "tokyo"),
          Set.of("lobby"),
          new ConnectivityState(
              true, Optional.of(Instant.ofEpochMilli(1_700_000_000_000L)), Optional.empty()),
          SHADOW);

  /** th-07: a disconnected thermometer without type or shadow. */
  private static final IndexedThing THERMOMETER =
      new IndexedThing(
          "th-07",
          Optional.empty(),
          Map.of("model", "therm-1", "battery", "7.5"),
          Set.of(),
          new ConnectivityState(
              false,
              Optional.of(Instant.ofEpochMilli(1_600_000_000_000L)),
              Optional.of("CLIENT_INITIATED_DISCONNECT")),
          ShadowValues.NONE);

  @ParameterizedTest(name = "{0} -> camera {1}, thermometer {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "attributes.model:cam-* AND connectivity.connected:true | true | false",
        "attributes.model:CAM-x2 | true | false",
        "attributes.model:cam-?2 | true | false",
        "attributes.model:cam-* AND connectivity.connected:false | false | false",
        "attributes.model:cam-* OR attributes.model:therm-* | true | true",
        "attributes.model:cam-* attributes.site:tokyo | true | false",
        "NOT attributes.model:cam-* | false | true",
        "-attributes.model:cam-* | false | true",
        "thingName:th-* OR (thingTypeName:camera AND attributes.site:osaka) | false | true",
        "(thingName:th-* OR thingTypeName:camera) AND NOT connectivity.connected:true | false | true",
        "attributes.battery<10 | false | true",
        "attributes.battery>=42 | true | false",
        "attributes.battery:[7.5 TO 42] | true | true",
        "attributes.battery:{7.5 TO 42] | true | false",
        "attributes.battery:[7.5 TO 42} | false | true",
        "attributes.battery:[10 TO *] | true | false",
        "attributes.battery:42.0 | true | false",
        "attributes.site:* | true | false",
        "thingTypeName:* | true | false",
        "connectivity.timestamp<1650000000000 | false | true",
        "connectivity.disconnectReason:CLIENT_INITIATED_DISCONNECT | false | true",
        "shadow.reported.firmware.version>=10 | true | false",
        "shadow.reported.mode:eco | true | false",
        "shadow.reported.tags:7 | true | false",
        "thingGroupNames:lobby | true | false",
        "thingName:\"cam-01\" | true | false",
        "thingName:\"cam-*\" | false | false",
      })
  void matches(String query, boolean camera, boolean thermometer) {
    FleetQuery parsed = FleetQuery.parse(query);
    assertThat(parsed.matches(CAMERA)).as("camera").isEqualTo(camera);
    assertThat(parsed.matches(THERMOMETER)).as("thermometer").isEqualTo(thermometer);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "attributes.model:cam-* AND | 27 | a term is missing",
        "attributes.model | 17 | expected ':'",
        "colour:red | 1 | unknown field 'colour'",
        "attributes.model:*cam | 18 | may not start with a wildcard",
        "(attributes.model:cam-* | 1 | '(' is never closed",
        "attributes.model:cam-*) | 23 | unexpected ')'",
        "attributes.battery:[1 5] | 23 | expected 'TO'",
        "attributes.battery:[1 TO 5 | 27 | expected ']' or '}'",
        "thingName:\"abc | 11 | quoted phrase is never closed",
        "AND thingName:a | 1 | 'AND' needs a term before it",
        "attributes.battery<5* | 21 | wildcards are not allowed",
        "thingName: | 11 | a value is missing",
        "thingName:a thingName:b thingName:c thingName:d thingName:e thingName:f thingName:g thingName:h | 85 | more than 7 terms",
      })
  void refusesWithThePosition(String query, int position, String problem) {
    assertThatThrownBy(() -> FleetQuery.parse(query))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> {
              assertThat(e.getMessage()).contains(problem);
              assertThat(e.position()).isEqualTo(position);
              assertThat(e.getMessage()).startsWith("invalid query at character " + position);
            });
  }

  @Test
  void emptyAndOverlongQueriesAreRefused() {
    assertThatThrownBy(() -> FleetQuery.parse(" ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> FleetQuery.parse("thingName:" + "a".repeat(2000)))
        .hasMessageContaining("longer than");
  }

  @Test
  void knowsWhetherItReadsGroupNames() {
    assertThat(FleetQuery.parse("thingGroupNames:lobby").readsGroups()).isTrue();
    assertThat(FleetQuery.parse("thingName:x").readsGroups()).isFalse();
  }
}
