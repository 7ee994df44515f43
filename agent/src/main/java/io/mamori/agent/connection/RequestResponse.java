package io.mamori.agent.connection;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import io.mamori.agent.AgentException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The request/response pattern of AWS IoT's device APIs ({@code $aws/...}, reference §0): subscribe
 * to {@code <topic>/accepted} and {@code <topic>/rejected} first (reference §1.1: an answer sent
 * before the subscription is lost), then publish the request at QoS 1 and wait for the first
 * answer. The subscriptions are removed afterwards.
 */
public final class RequestResponse {
  /** The answer: which topic it came on and its raw payload. */
  public record Answer(boolean accepted, String topic, byte[] payload) {}

  private final Mqtt5AsyncClient client;
  private final Duration timeout;

  RequestResponse(Mqtt5AsyncClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /**
   * Sends one request and waits for its answer.
   *
   * @throws AgentException when a subscription or the publish is refused (naming the reason code,
   *     e.g. NOT_AUTHORIZED when the device's policy does not allow it) or no answer comes in time
   */
  public Answer request(String topic, byte[] payload) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    String accepted = topic + "/accepted";
    String rejected = topic + "/rejected";
    try {
      subscribe(accepted, answer, true);
      subscribe(rejected, answer, false);
      publish(topic, payload);
      return await(answer, "answer on " + accepted + " or " + rejected);
    } finally {
      client.unsubscribeWith().addTopicFilter(accepted).addTopicFilter(rejected).send();
    }
  }

  private void publish(String topic, byte[] payload) {
    Mqtt5PublishResult result;
    try {
      result =
          await(
              client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send(),
              "publish to " + topic);
    } catch (AgentException e) {
      // MQTT 5: a PUBACK with an error reason code (0x87 not authorized when iot:Publish is denied)
      if (e.getCause() instanceof Mqtt5PubAckException refused) {
        throw new AgentException(
            "publish to "
                + topic
                + " refused by the hub: "
                + refused.getMqttMessage().getReasonCode());
      }
      throw e;
    }
    result
        .getError()
        .ifPresent(
            error -> {
              throw new AgentException(
                  "publish to " + topic + " refused by the hub: " + error.getMessage());
            });
  }

  private void subscribe(String filter, CompletableFuture<Answer> answer, boolean isAccepted) {
    Mqtt5SubAck subAck;
    try {
      subAck =
          await(
              client
                  .subscribeWith()
                  .topicFilter(filter)
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .callback(
                      p -> answer.complete(new Answer(isAccepted, filter, p.getPayloadAsBytes())))
                  .send(),
              "subscribe to " + filter);
    } catch (AgentException e) {
      if (e.getCause() instanceof Mqtt5SubAckException refused) {
        throw new AgentException(
            "subscribe to "
                + filter
                + " refused by the hub: "
                + refused.getMqttMessage().getReasonCodes());
      }
      throw e;
    }
    subAck.getReasonCodes().stream()
        .filter(code -> code.isError())
        .findFirst()
        .ifPresent(
            code -> {
              throw new AgentException("subscribe to " + filter + " refused by the hub: " + code);
            });
  }

  private <T> T await(CompletableFuture<T> future, String step) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AgentException(step + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new AgentException(step + ": nothing within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(step + ": interrupted");
    }
  }
}
