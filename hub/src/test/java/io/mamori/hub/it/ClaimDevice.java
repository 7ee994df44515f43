package io.mamori.hub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A device connected with a claim certificate (HiveMQ client), speaking the fleet provisioning
 * topics of reference §1.1 in JSON: subscribes to the answer topics first, as AWS requires.
 */
final class ClaimDevice implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: {@code accepted} or {@code rejected}, and its payload. */
  record Answer(String outcome, JsonNode body) {
    boolean accepted() {
      return outcome.equals("accepted");
    }
  }

  private final Mqtt5BlockingClient client;
  private final BlockingQueue<Mqtt5Publish> answers = new LinkedBlockingQueue<>();

  ClaimDevice(Mqtt5BlockingClient client, String template) {
    this.client = client;
    client.connect();
    var async = client.toAsync();
    for (String filter :
        new String[] {
          "$aws/certificates/create-from-csr/json/+",
          "$aws/provisioning-templates/" + template + "/provision/json/+"
        }) {
      async
          .subscribeWith()
          .topicFilter(filter)
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(answers::add)
          .send()
          .join();
    }
  }

  /** CreateCertificateFromCsr; waits for its answer. */
  Answer createFromCsr(String csrPem) throws Exception {
    publish("$aws/certificates/create-from-csr/json", Map.of("certificateSigningRequest", csrPem));
    return next();
  }

  /** Publishes RegisterThing without waiting. */
  void sendRegister(String template, String token, Map<String, String> parameters)
      throws Exception {
    publish(
        "$aws/provisioning-templates/" + template + "/provision/json",
        Map.of("certificateOwnershipToken", token, "parameters", parameters));
  }

  /** RegisterThing; waits for its answer. */
  Answer register(String template, String token, Map<String, String> parameters) throws Exception {
    sendRegister(template, token, parameters);
    return next();
  }

  /** The next answer, whichever request it belongs to. */
  Answer next() throws Exception {
    Mqtt5Publish message = answers.poll(30, TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("no answer within 30 s");
    }
    String topic = message.getTopic().toString();
    return new Answer(
        topic.substring(topic.lastIndexOf('/') + 1),
        JSON.readTree(new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8)));
  }

  /** Answers received and not yet taken by {@link #next()}. */
  int waiting() {
    return answers.size();
  }

  private void publish(String topic, Object body) throws Exception {
    client
        .publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(JSON.writeValueAsBytes(body))
        .send();
  }

  @Override
  public void close() {
    client.disconnect();
  }
}
