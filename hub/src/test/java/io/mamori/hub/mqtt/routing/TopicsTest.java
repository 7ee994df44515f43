package io.mamori.hub.mqtt.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {
  @Test
  void topicNamesMustBeNonEmptyWithoutWildcardsAndShortEnough() {
    assertThat(Topics.invalidTopicName("a/b", 256)).isEmpty();
    assertThat(Topics.invalidTopicName("$aws/things/t/shadow/update", 256)).isEmpty();
    assertThat(Topics.invalidTopicName("", 256)).contains("empty topic");
    assertThat(Topics.invalidTopicName("a/+", 256)).isPresent();
    assertThat(Topics.invalidTopicName("a/#", 256)).isPresent();
    assertThat(Topics.invalidTopicName("a\u0000b", 256)).isPresent();
    assertThat(Topics.invalidTopicName("x".repeat(257), 256)).isPresent();
    // The limit counts UTF-8 bytes, not characters.
    assertThat(Topics.invalidTopicName("é".repeat(129), 256)).isPresent();
  }

  @Test
  void filtersAllowWholeLevelWildcardsOnly() {
    assertThat(Topics.invalidTopicFilter("#", 256)).isEmpty();
    assertThat(Topics.invalidTopicFilter("a/+/c/#", 256)).isEmpty();
    assertThat(Topics.invalidTopicFilter("+", 256)).isEmpty();
    assertThat(Topics.invalidTopicFilter("a/#/c", 256)).isPresent();
    assertThat(Topics.invalidTopicFilter("a/b#", 256)).isPresent();
    assertThat(Topics.invalidTopicFilter("a/b+/c", 256)).isPresent();
    assertThat(Topics.invalidTopicFilter("", 256)).isPresent();
  }

  @Test
  void matchingFollowsAwsAndMqttRules() {
    assertThat(Topics.matches("sensor/#", "sensor")).isFalse();
    assertThat(Topics.matches("sensor/#", "sensor/")).isTrue();
    assertThat(Topics.matches("#", "$aws/x")).isFalse();
    assertThat(Topics.matches("$aws/things/+/shadow/#", "$aws/things/t/shadow/get")).isTrue();
    assertThat(Topics.isExact("a/b")).isTrue();
    assertThat(Topics.isExact("a/+")).isFalse();
  }
}
