package io.mamori.hub.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ShadowDocumentsTest {
  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) ShadowRequest.JSON.readTree(text.replace('\'', '"'));
  }

  /** As a device would read it: numbers re-parsed (a long 5 and an int 5 are the same JSON). */
  private static JsonNode wire(JsonNode node) throws Exception {
    return ShadowRequest.JSON.readTree(ShadowRequest.JSON.writeValueAsBytes(node));
  }

  @Test
  void mergeChangesOnlyThePresentKeysAndNullDeletes() throws Exception {
    ObjectNode state = json("{'desired': {'color': 'red', 'led': {'on': true, 'level': 3}}}");
    ObjectNode metadata =
        json(
            "{'desired': {'color': {'timestamp': 1}, 'led': {'on': {'timestamp': 1},"
                + " 'level': {'timestamp': 1}}}}");

    ShadowDocuments.apply(
        state, metadata, json("{'desired': {'color': null, 'led': {'level': 5}}}"), 9);

    assertThat(wire(state)).isEqualTo(json("{'desired': {'led': {'on': true, 'level': 5}}}"));
    assertThat(wire(metadata))
        .isEqualTo(
            json("{'desired': {'led': {'on': {'timestamp': 1}, 'level': {'timestamp': 9}}}}"));
  }

  @Test
  void arraysReplaceWholeAndGetOneMetadataEntryPerElement() throws Exception {
    ObjectNode state = json("{'reported': {'ports': [1, 2, 3]}}");
    ObjectNode metadata = json("{}");

    ShadowDocuments.apply(state, metadata, json("{'reported': {'ports': [7, {'x': 1}]}}"), 5);

    assertThat(wire(state)).isEqualTo(json("{'reported': {'ports': [7, {'x': 1}]}}"));
    assertThat(wire(metadata))
        .isEqualTo(json("{'reported': {'ports': [{'timestamp': 5}, {'x': {'timestamp': 5}}]}}"));
  }

  @Test
  void aNullSectionRemovesTheWholeSectionAndItsMetadata() throws Exception {
    ObjectNode state = json("{'desired': {'a': 1}, 'reported': {'a': 1}}");
    ObjectNode metadata = json("{'desired': {'a': {'timestamp': 1}}, 'reported': {}}");

    ShadowDocuments.apply(state, metadata, json("{'desired': null}"), 2);

    assertThat(wire(state)).isEqualTo(json("{'reported': {'a': 1}}"));
    assertThat(metadata.has("desired")).isFalse();
  }

  @Test
  void anObjectReplacingAScalarStartsFreshMetadata() throws Exception {
    ObjectNode state = json("{'desired': {'a': 1}}");
    ObjectNode metadata = json("{'desired': {'a': {'timestamp': 1}}}");

    ShadowDocuments.apply(state, metadata, json("{'desired': {'a': {'b': 2}}}"), 3);

    assertThat(wire(metadata)).isEqualTo(json("{'desired': {'a': {'b': {'timestamp': 3}}}}"));
  }

  @Test
  void deltaHoldsDesiredValuesThatReportedLacksOrDiffersInWithTheirFullPath() throws Exception {
    JsonNode desired =
        json("{'color': 'red', 'same': 1, 'missing': true, 'cfg': {'a': 1, 'b': [1, 2]}}");
    JsonNode reported =
        json("{'color': 'green', 'same': 1.0, 'extra': 5, 'cfg': {'a': 1, 'b': [1, 3]}}");

    assertThat(ShadowDocuments.delta(desired, reported))
        .isEqualTo(json("{'color': 'red', 'missing': true, 'cfg': {'b': [1, 2]}}"));
  }

  @Test
  void deltaIsEmptyWhenReportedMatchesOrThereIsNoDesired() throws Exception {
    assertThat(ShadowDocuments.delta(json("{'a': {'b': 1}}"), json("{'a': {'b': 1}, 'c': 2}")))
        .isEmpty();
    assertThat(ShadowDocuments.delta(null, json("{'a': 1}"))).isEmpty();
  }

  @Test
  void aDeltaIsPublishedOnlyWhenItTouchesWhatTheRequestDesired() throws Exception {
    JsonNode delta = json("{'color': 'red', 'cfg': {'b': 2}}");

    assertThat(ShadowDocuments.touches(delta, json("{'color': 'red'}"))).isTrue();
    assertThat(ShadowDocuments.touches(delta, json("{'cfg': {'b': 2}}"))).isTrue();
    assertThat(ShadowDocuments.touches(delta, json("{'cfg': {'a': 1}}"))).isFalse();
    assertThat(ShadowDocuments.touches(delta, json("{'other': 1, 'color': null}"))).isFalse();
    assertThat(ShadowDocuments.touches(delta, null)).isFalse();
  }

  @Test
  void deltaMetadataFollowsTheDeltaPaths() throws Exception {
    JsonNode metadata =
        json(
            "{'color': {'timestamp': 4}, 'same': {'timestamp': 1},"
                + " 'cfg': {'a': {'timestamp': 1}, 'b': [{'timestamp': 2}]}}");

    assertThat(ShadowDocuments.project(json("{'color': 'red', 'cfg': {'b': [1]}}"), metadata))
        .isEqualTo(json("{'color': {'timestamp': 4}, 'cfg': {'b': [{'timestamp': 2}]}}"));
  }

  @Test
  void depthCountsObjectsAndArrays() throws Exception {
    assertThat(ShadowDocuments.depth(json("{'a': 1}"))).isEqualTo(1);
    assertThat(ShadowDocuments.depth(json("{'a': {'b': [1]}}"))).isEqualTo(3);
  }
}
