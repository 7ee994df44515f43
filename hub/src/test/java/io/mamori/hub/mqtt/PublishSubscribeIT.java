package io.mamori.hub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.mamori.hub.events.HubEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PublishSubscribeIT {
  private BrokerFixture hub;

  @BeforeEach
  void start() {
    hub = new BrokerFixture().start();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void mqtt5AndMqtt311ClientsExchangeMessagesAtQos0And1() throws Exception {
    var sub = hub.client5("sub5", "device-a");
    sub.connect();
    var pub = hub.client3("pub3", "device-b");
    pub.connect();
    try (var received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("sensors/+/temp").qos(MqttQos.AT_LEAST_ONCE).send();
      pub.publishWith()
          .topic("sensors/k1/temp")
          .payload(bytes("21"))
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      pub.publishWith()
          .topic("sensors/k1/temp")
          .payload(bytes("22"))
          .qos(MqttQos.AT_MOST_ONCE)
          .send();

      var first = received.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(first.getTopic().toString()).isEqualTo("sensors/k1/temp");
      assertThat(first.getPayloadAsBytes()).isEqualTo(bytes("21"));
      assertThat(first.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      var second = received.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(second.getPayloadAsBytes()).isEqualTo(bytes("22"));
      assertThat(second.getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
    }
    assertThat(hub.events("mqtt.connect"))
        .extracting(HubEvent::actor, HubEvent::subject, HubEvent::outcome)
        .contains(
            org.assertj.core.groups.Tuple.tuple("device-a", "sub5", HubEvent.SUCCESS),
            org.assertj.core.groups.Tuple.tuple("device-b", "pub3", HubEvent.SUCCESS));
  }

  @Test
  void deniedPublishGetsNotAuthorizedPubAckOnMqtt5() {
    var client = hub.client5("c5", "device-a");
    client.connect();

    assertThatThrownBy(
            () ->
                client
                    .publishWith()
                    .topic("forbidden/x")
                    .payload(bytes("no"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send())
        .isInstanceOfSatisfying(
            Mqtt5PubAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
    assertThat(client.getState().isConnected()).isTrue();
    assertThat(hub.events("mqtt.publish"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(HubEvent.DENIED);
              assertThat(e.reason()).isEqualTo("test: forbidden prefix");
              assertThat(e.details()).containsEntry("topic", "forbidden/x");
            });
  }

  @Test
  void deniedPublishDisconnectsMqtt311Client() {
    var client = hub.client3("c3", "device-a");
    client.connect();

    client.publishWith().topic("forbidden/x").payload(bytes("no")).qos(MqttQos.AT_MOST_ONCE).send();

    await().atMost(Duration.ofSeconds(5)).until(() -> !client.getState().isConnected());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                hub.events("mqtt.disconnect").stream()
                    .anyMatch(e -> e.reason().equals("AUTH_ERROR") && e.subject().equals("c3")));
  }

  @Test
  void deniedSubscriptionGetsFailureCodeOnBothVersions() {
    var c5 = hub.client5("c5", "device-a");
    c5.connect();
    assertThatThrownBy(
            () -> c5.subscribeWith().topicFilter("forbidden/#").qos(MqttQos.AT_LEAST_ONCE).send())
        .isInstanceOfSatisfying(
            Mqtt5SubAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));

    var c3 = hub.client3("c3", "device-b");
    c3.connect();
    // QoS 2 is granted as QoS 1 (AWS §7.1), the forbidden filter fails.
    assertThatThrownBy(
            () ->
                c3.subscribeWith()
                    .addSubscription()
                    .topicFilter("allowed/#")
                    .qos(MqttQos.EXACTLY_ONCE)
                    .applySubscription()
                    .addSubscription()
                    .topicFilter("forbidden/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription()
                    .send())
        .isInstanceOfSatisfying(
            Mqtt3SubAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReturnCodes())
                    .containsExactly(
                        Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1,
                        Mqtt3SubAckReturnCode.FAILURE));
    assertThat(hub.events("mqtt.subscribe"))
        .filteredOn(e -> e.outcome().equals("denied"))
        .hasSize(2);
    assertThat(hub.events("mqtt.subscribe"))
        .filteredOn(e -> e.outcome().equals("success"))
        .extracting(e -> e.details().get("topicFilter"))
        .containsOnly("allowed/#");
  }

  @Test
  void messageDeniedByReceivePermissionIsNotDelivered() throws Exception {
    var sub = hub.client5("sub", "device-a");
    sub.connect();
    var pub = hub.client5("pub", "device-b");
    pub.connect();
    try (var received = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
      pub.publishWith().topic("secret/plans").payload(bytes("s")).qos(MqttQos.AT_LEAST_ONCE).send();
      pub.publishWith().topic("public/news").payload(bytes("p")).qos(MqttQos.AT_LEAST_ONCE).send();

      var first = received.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(first.getTopic().toString()).isEqualTo("public/news");
      assertThat(received.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
    }
  }

  @Test
  void retainedMessageGoesToExactFilterNotToWildcard() throws Exception {
    var pub = hub.client5("pub", "device-b");
    pub.connect();
    pub.publishWith()
        .topic("config/k1")
        .payload(bytes("v1"))
        .qos(MqttQos.AT_LEAST_ONCE)
        .retain(true)
        .send();
    await().until(() -> hub.retainedStore.messages().containsKey("config/k1"));

    var wildcard = hub.client5("wild", "device-a");
    wildcard.connect();
    var exact = hub.client3("exact", "device-c");
    exact.connect();
    try (var wildReceived = wildcard.publishes(MqttGlobalPublishFilter.ALL);
        var exactReceived = exact.publishes(MqttGlobalPublishFilter.ALL)) {
      wildcard.subscribeWith().topicFilter("config/#").qos(MqttQos.AT_LEAST_ONCE).send();
      exact.subscribeWith().topicFilter("config/k1").qos(MqttQos.AT_LEAST_ONCE).send();

      var retained = exactReceived.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(retained.getPayloadAsBytes()).isEqualTo(bytes("v1"));
      assertThat(retained.isRetain()).isTrue();
      assertThat(wildReceived.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
    }

    pub.publishWith().topic("config/k1").payload(new byte[0]).retain(true).send();
    await().until(() -> !hub.retainedStore.messages().containsKey("config/k1"));
  }

  @Test
  void reservedTopicGoesToItsHandlerWhichRepliesThroughTheBroker() throws Exception {
    hub.close();
    hub = new BrokerFixture();
    hub.handlers.add(
        new ReservedTopicHandler() {
          @Override
          public String topicFilter() {
            return "$aws/things/+/shadow/get";
          }

          @Override
          public void onPublish(ReservedTopicContext context, String topic, byte[] payload) {
            context.reply(topic + "/accepted", bytes("{\"state\":{}}"), 1);
          }
        });
    hub.start();
    var client = hub.client5("thing1", "device-a");
    client.connect();
    try (var received = client.publishes(MqttGlobalPublishFilter.ALL)) {
      client
          .subscribeWith()
          .topicFilter("$aws/things/thing1/shadow/get/+")
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      client.publishWith().topic("$aws/things/thing1/shadow/get").qos(MqttQos.AT_LEAST_ONCE).send();

      var reply = received.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(reply.getTopic().toString()).isEqualTo("$aws/things/thing1/shadow/get/accepted");
    }
    // A '$' topic nothing serves is refused on MQTT 5, not routed.
    assertThatThrownBy(
            () -> client.publishWith().topic("$aws/unknown").qos(MqttQos.AT_LEAST_ONCE).send())
        .isInstanceOfSatisfying(
            Mqtt5PubAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID));
  }

  @Test
  void hubOriginatedPublishReachesSubscribers() throws Exception {
    var client = hub.client5("c", "device-a");
    client.connect();
    try (var received = client.publishes(MqttGlobalPublishFilter.ALL)) {
      client.subscribeWith().topicFilter("notify/#").qos(MqttQos.AT_LEAST_ONCE).send();
      hub.broker.publish("notify/jobs", bytes("job"), 1, false);
      assertThat(received.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes())
          .isEqualTo(bytes("job"));
    }
  }
}
