package io.mamori.agent.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated device: an MQTT client (sharing the fleet's event loop) that runs the AWS Jobs
 * device loop of reference §3.2 — on {@code notify-next} it calls {@code start-next}, then reports
 * the execution SUCCEEDED, FAILED or REJECTED with {@code statusDetails} and the {@code
 * expectedVersion} it was given, and asks for the next one. It handles one execution at a time, as
 * a real device would.
 */
final class VirtualDevice {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String thing;
  private final Mqtt5AsyncClient client;
  private final Outcomes outcomes;
  private final FleetStats stats;
  private final String jobs;
  private boolean busy; // guarded by this: a start-next or update is awaiting its answer
  private boolean notifiedWhileBusy; // guarded by this: ask again once the answer is in
  private Outcomes.Outcome reporting; // guarded by this
  private long requests; // guarded by this

  VirtualDevice(String thing, Mqtt5AsyncClient client, Outcomes outcomes, FleetStats stats) {
    this.thing = thing;
    this.client = client;
    this.outcomes = outcomes;
    this.stats = stats;
    this.jobs = "$aws/things/" + thing + "/jobs/";
  }

  String thing() {
    return thing;
  }

  /** Connects, subscribes to its jobs topics, then asks for a job already pending. */
  CompletableFuture<Void> connect() {
    Mqtt5Subscribe subscribe =
        Mqtt5Subscribe.builder()
            .addSubscription(subscription(jobs + "notify-next"))
            .addSubscription(subscription(jobs + "start-next/+"))
            .addSubscription(subscription(jobs + "+/update/+"))
            .build();
    return client
        .connectWith()
        .cleanStart(true)
        .keepAlive(300)
        .send()
        .thenCompose(ack -> client.subscribe(subscribe, this::onMessage))
        .thenRun(
            () -> {
              stats.connected.incrementAndGet();
              synchronized (this) {
                startNext();
              }
            });
  }

  private static Mqtt5Subscription subscription(String filter) {
    return Mqtt5Subscription.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build();
  }

  CompletableFuture<Void> disconnect() {
    return client.disconnect().exceptionally(e -> null);
  }

  private synchronized void onMessage(Mqtt5Publish publish) {
    String topic = publish.getTopic().toString();
    JsonNode body;
    try {
      body = JSON.readTree(publish.getPayloadAsBytes());
    } catch (IOException e) {
      stats.refusedByHub.incrementAndGet();
      return;
    }
    if (topic.endsWith("/notify-next")) {
      if (body.has("execution")) {
        stats.notified(System.nanoTime());
        if (busy) {
          notifiedWhileBusy = true;
        } else {
          startNext();
        }
      }
    } else if (topic.endsWith("/start-next/accepted")) {
      busy = false;
      if (body.has("execution")) {
        stats.started.incrementAndGet();
        report(body.get("execution"));
      } else if (notifiedWhileBusy) {
        startNext(); // the answer may predate the notification
      }
    } else if (topic.endsWith("/update/accepted")) {
      busy = false;
      switch (reporting) {
        case SUCCEEDED -> stats.succeeded.incrementAndGet();
        case FAILED -> stats.failed.incrementAndGet();
        case REJECTED -> stats.rejected.incrementAndGet();
      }
      startNext(); // AWS device loop: after a final status, ask for the next execution
    } else if (topic.endsWith("/rejected")) {
      // e.g. the job was canceled meanwhile: InvalidStateTransition. Wait for notify-next.
      busy = false;
      stats.refusedByHub.incrementAndGet();
      if (notifiedWhileBusy) {
        startNext();
      }
    }
  }

  private void startNext() {
    busy = true;
    notifiedWhileBusy = false;
    ObjectNode request = JSON.createObjectNode().put("clientToken", token());
    publish(jobs + "start-next", request);
  }

  private void report(JsonNode execution) {
    reporting = outcomes.next();
    ObjectNode request = JSON.createObjectNode().put("status", reporting.name());
    request
        .putObject("statusDetails")
        .put("simulator", "true")
        .put(
            "reason",
            switch (reporting) {
              case SUCCEEDED -> "applied";
              case FAILED -> "simulated failure";
              case REJECTED -> "simulated rejection";
            });
    request.put("expectedVersion", execution.path("versionNumber").asLong());
    request.put("executionNumber", execution.path("executionNumber").asLong());
    request.put("clientToken", token());
    busy = true;
    publish(jobs + execution.path("jobId").asText() + "/update", request);
  }

  private String token() {
    return thing + "-" + (++requests);
  }

  private void publish(String topic, ObjectNode body) {
    byte[] payload;
    try {
      payload = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a jobs request", e);
    }
    client
        .publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload)
        .send()
        .exceptionally(
            e -> {
              synchronized (this) {
                busy = false;
              }
              return null;
            });
  }
}
