package io.mamori.hub.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Profile documents are checked field by field; a mistake is refused with its path. */
class ProfileDocumentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String behavior(String metric, String criteria) {
    return "{\"behaviors\": [{\"name\": \"b\", \"metric\": \""
        + metric
        + "\", \"criteria\": "
        + criteria
        + "}]}";
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "aws:num-messages-sent|{\"comparisonOperator\": \"in-cidr-set\", \"value\": {\"count\": 1}}|is not supported",
        "aws:num-messages-sent|{\"comparisonOperator\": \"less-than\"}|exactly one of",
        "aws:num-messages-sent|{\"comparisonOperator\": \"less-than\", \"statisticalThreshold\": {\"statistic\": \"p75\"}}|statistic must be one of",
        "aws:num-messages-sent|{\"mlDetectionConfig\": {\"confidenceLevel\": \"SURE\"}}|LOW, MEDIUM or HIGH",
        "aws:num-messages-sent|{\"comparisonOperator\": \"less-than\", \"value\": {\"count\": 1}, \"consecutiveDatapointsToAlarm\": 11}|consecutiveDatapointsToAlarm must be an integer from 1 to 10",
        "aws:no-such-metric|{\"comparisonOperator\": \"less-than\", \"value\": {\"count\": 1}}|not a metric this hub measures"
      })
  void badBehavioursAreRefusedWithTheirPath(String metric, String criteria, String reason) {
    assertThatThrownBy(() -> ProfileDocuments.read(JSON.readTree(behavior(metric, criteria))))
        .isInstanceOf(DetectException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"behaviors\": []}|behaviors must be a non-empty list",
        "{\"behaviors\": [{\"name\": \"b\", \"metric\": \"aws:num-disconnects\", \"criteria\": {\"comparisonOperator\": \"less-than\", \"value\": {\"count\": 1}}}], \"mitigations\": [\"SHUTDOWN\"]}|unknown mitigation",
        "{\"behaviors\": [{\"name\": \"b\", \"metric\": \"aws:num-disconnects\", \"criteria\": {\"comparisonOperator\": \"less-than\", \"value\": {\"count\": 1}}}], \"mitigationParameters\": []}|mitigationParameters must be a JSON object"
      })
  void badProfilesAreRefused(String json, String reason) {
    assertThatThrownBy(() -> ProfileDocuments.read(JSON.readTree(json)))
        .isInstanceOf(DetectException.class)
        .hasMessageContaining(reason);
  }

  @org.junit.jupiter.api.Test
  void aWrittenProfileReadsBackTheSame() throws Exception {
    var content =
        ProfileDocuments.read(
            JSON.readTree(
                "{\"description\": \"\", \"behaviors\": [{\"name\": \"b\", \"metric\": \"cmet:temp\","
                    + " \"criteria\": {\"comparisonOperator\": \"greater-than\", \"value\": {\"number\": 5}}}],"
                    + " \"mitigations\": [\"START_JOB\"], \"mitigationParameters\": {\"jobTemplate\": \"fix\"}}"));
    var profile =
        new SecurityProfile(
            "p",
            content.description(),
            content.behaviors(),
            content.mitigations(),
            content.mitigationParameters(),
            java.util.Set.of("group/sensors"),
            java.time.Instant.EPOCH,
            java.time.Instant.EPOCH);
    var again = ProfileDocuments.read(ProfileDocuments.write(profile));
    assertThat(again).isEqualTo(content);
  }
}
