package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the hub process while devices publish QoS 1 messages to persistent sessions:
 * after a restart, every message the hub acknowledged (PUBACK) reaches every persistent subscriber.
 * Duplicates are allowed (QoS 1 is at least once); a loss is not.
 *
 * <p>The normal suite kills once; {@code -Dmamori.soak=ROUNDS} kills the hub ROUNDS times in a row
 * with more devices (docs/limits.md, "Crash safety").
 */
class CrashSafetyIT {
  private static final int ROUNDS = Integer.getInteger("mamori.soak", 1);
  private static final int DEVICES = ROUNDS > 1 ? 8 : 4;
  // Stays under the default per-session queue (1,000): a full queue refuses by design, and this
  // test is about crashes, not about that limit.
  private static final int MESSAGES_PER_DEVICE = ROUNDS > 1 ? 110 : 200;

  @TempDir Path temp;
  private HubProcess hub;

  @AfterEach
  void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void everyAcknowledgedQos1MessageReachesPersistentSubscribersAfterKill9() throws Exception {
    Path data = temp.resolve("data");
    Path certs = temp.resolve("certs");
    hub = HubProcess.start(data, Map.of(), "--max-publishes-per-second", "0").awaitRunning();
    createPolicy("device", Policies.DEVICE);
    createPolicy("monitor", Policies.MONITOR);
    issue("console-3", "monitor", certs);
    issue("console-5", "monitor", certs);
    for (int d = 0; d < DEVICES; d++) {
      issue("sensor-" + d, "device", certs);
    }

    Set<String> received3 = ConcurrentHashMap.newKeySet();
    Set<String> received5 = ConcurrentHashMap.newKeySet();
    // MQTT 3.1.1 clean session 0, connected while the devices publish.
    Mqtt3AsyncClient console3 = subscriber3(certs, received3);
    // MQTT 5 with a session expiry, offline while they publish: everything queues in the hub.
    Mqtt5AsyncClient console5 = subscriber5(certs, received5);
    console5.disconnect().get(10, TimeUnit.SECONDS);

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    for (int round = 1; round <= ROUNDS; round++) {
      int before = acknowledged.size();
      List<Thread> devices = publishUntilKilled(certs, round, acknowledged);
      // Kill while every device still has messages to send, so some are in flight at the kill.
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> acknowledged.size() - before >= DEVICES * MESSAGES_PER_DEVICE / 3);
      hub.kill();
      for (Thread device : devices) {
        device.join(30_000);
      }
      hub = HubProcess.restart(data, "--max-publishes-per-second", "0").awaitRunning();
      console3 = subscriber3(certs, received3);
    }

    console5 = subscriber5(certs, received5);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(received3).as("MQTT 3.1.1 clean session 0").containsAll(acknowledged);
              assertThat(received5).as("MQTT 5 session expiry").containsAll(acknowledged);
            });
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(DEVICES * MESSAGES_PER_DEVICE / 3);
    console3.disconnect().get(10, TimeUnit.SECONDS);
    console5.disconnect().get(10, TimeUnit.SECONDS);
  }

  /**
   * Each device publishes QoS 1 messages {@code round/device/n} with a window of 10 unacknowledged
   * ones, recording those the hub acknowledged, until it has sent them all or the hub is gone.
   */
  private List<Thread> publishUntilKilled(Path certs, int round, Set<String> acknowledged)
      throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (int d = 0; d < DEVICES; d++) {
      String thing = "sensor-" + d;
      Mqtt3AsyncClient device =
          Mqtt3Client.builder()
              .identifier(thing)
              .serverHost("127.0.0.1")
              .serverPort(hub.endpoint().mqttPort())
              .sslConfig(new DeviceClients(0, certs).ssl(thing))
              .buildAsync();
      device.connectWith().cleanSession(true).send().get(30, TimeUnit.SECONDS);
      Thread thread =
          new Thread(
              () -> {
                var window = new java.util.concurrent.Semaphore(10);
                AtomicBoolean gone = new AtomicBoolean();
                for (int n = 0; n < MESSAGES_PER_DEVICE && !gone.get(); n++) {
                  String id = round + "/" + thing + "/" + n;
                  try {
                    if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                      return;
                    }
                  } catch (InterruptedException e) {
                    return;
                  }
                  device
                      .publishWith()
                      .topic("devices/" + thing + "/data")
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .payload(id.getBytes(StandardCharsets.UTF_8))
                      .send()
                      .whenComplete(
                          (ack, failure) -> {
                            if (failure == null) {
                              acknowledged.add(id);
                            } else {
                              gone.set(true);
                            }
                            window.release();
                          });
                }
              },
              "publisher-" + thing);
      thread.start();
      threads.add(thread);
    }
    return threads;
  }

  private Mqtt3AsyncClient subscriber3(Path certs, Set<String> received) throws Exception {
    Mqtt3AsyncClient client =
        Mqtt3Client.builder()
            .identifier("console-3")
            .serverHost("127.0.0.1")
            .serverPort(hub.endpoint().mqttPort())
            .sslConfig(new DeviceClients(0, certs).ssl("console-3"))
            .buildAsync();
    client.publishes(
        MqttGlobalPublishFilter.ALL,
        p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
    client.connectWith().cleanSession(false).send().get(30, TimeUnit.SECONDS);
    client
        .subscribeWith()
        .topicFilter("devices/+/data")
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .get(30, TimeUnit.SECONDS);
    return client;
  }

  private Mqtt5AsyncClient subscriber5(Path certs, Set<String> received) throws Exception {
    Mqtt5AsyncClient client =
        Mqtt5Client.builder()
            .identifier("console-5")
            .serverHost("127.0.0.1")
            .serverPort(hub.endpoint().mqttPort())
            .sslConfig(new DeviceClients(0, certs).ssl("console-5"))
            .buildAsync();
    client.publishes(
        MqttGlobalPublishFilter.ALL,
        p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
    client
        .connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(3600)
        .send()
        .get(30, TimeUnit.SECONDS);
    client
        .subscribeWith()
        .topicFilter("devices/+/data")
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .get(30, TimeUnit.SECONDS);
    return client;
  }

  private void createPolicy(String name, String document) throws Exception {
    Path file = Files.createTempFile(temp, name, ".json");
    Files.writeString(file, document);
    var created = hub.cli("policy", "create", name, "--document", file.toString());
    assertThat(created.exitCode()).as(created.err()).isZero();
  }

  private void issue(String thing, String policy, Path certs) {
    var created = hub.cli("thing", "create", thing);
    assertThat(created.exitCode()).as(created.err()).isZero();
    var issued =
        hub.cli("cert", "issue", "--thing", thing, "--policy", policy, "--out", certs.toString());
    assertThat(issued.exitCode()).as(issued.err()).isZero();
  }
}
