package io.mamori.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyTestCommandTest {

  @Test
  void bareValuesGetThePrefixOfTheActionsResourceType() {
    assertThat(PolicyTestCommand.resourceFor("iot:Publish", "sensors/t1/temp"))
        .isEqualTo("topic/sensors/t1/temp");
    assertThat(PolicyTestCommand.resourceFor("iot:Receive", "a")).isEqualTo("topic/a");
    assertThat(PolicyTestCommand.resourceFor("iot:RetainPublish", "a")).isEqualTo("topic/a");
    assertThat(PolicyTestCommand.resourceFor("iot:Subscribe", "sensors/#"))
        .isEqualTo("topicfilter/sensors/#");
    assertThat(PolicyTestCommand.resourceFor("iot:Connect", "t1")).isEqualTo("client/t1");
  }

  @Test
  void arnsAndMatchingShortFormsPassUnchanged() {
    String arn = "arn:aws:iot:local:000000000000:topic/a/b";
    assertThat(PolicyTestCommand.resourceFor("iot:Publish", arn)).isEqualTo(arn);
    assertThat(PolicyTestCommand.resourceFor("iot:Publish", "topic/a")).isEqualTo("topic/a");
    assertThat(PolicyTestCommand.resourceFor("iot:Subscribe", "topicfilter/a/+"))
        .isEqualTo("topicfilter/a/+");
    assertThat(PolicyTestCommand.resourceFor("iot:Connect", "client/t1")).isEqualTo("client/t1");
  }

  @Test
  void aShortFormOfAnotherTypeIsTakenAsABareName() {
    // A topic literally named "client/x" is a topic for iot:Publish.
    assertThat(PolicyTestCommand.resourceFor("iot:Publish", "client/x"))
        .isEqualTo("topic/client/x");
  }
}
