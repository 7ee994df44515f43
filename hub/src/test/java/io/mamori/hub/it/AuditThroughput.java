package io.mamori.hub.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.mamori.hub.audit.AuditSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Not a test: measures broker QoS 1 throughput with and without the audit log (a bounded load,
 * reported, never asserted). Each run starts a fresh hub on a temporary data directory, connects
 * {@code publishers} HiveMQ MQTT 5 clients over mutual TLS and sends {@code messages} QoS 1
 * PUBLISHes in total (at most 100 unacknowledged per client), twice: to allowed topics (no event
 * per message) and to a denied topic (PUBACK 0x87 and one audit record per message, the worst case
 * for the audit path). Run as the README's "Defender" section shows.
 */
public final class AuditThroughput {
  private AuditThroughput() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int publishers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    // Warm-up run (JIT, TLS), then the measured ones, alternating the order.
    run(false, messages / 4, publishers, true);
    run(true, messages / 4, publishers, true);
    for (int round = 0; round < 2; round++) {
      for (boolean audit : round == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
        run(audit, messages, publishers, false);
      }
    }
    System.exit(0);
  }

  private static void run(boolean audit, int messages, int publishers, boolean warmUp)
      throws Exception {
    Path dir = Files.createTempDirectory("mamori-throughput");
    var settings = AuditSettings.defaults().withEnabled(audit);
    try (HubFixture hub =
        new HubFixture(dir.resolve("data"))
            .withAudit(settings)
            // measures the audit log, not the per-connection publish rate limit
            .withLimits(io.mamori.hub.config.BrokerLimits.defaults().withMaxPublishesPerSecond(0))
            .start()) {
      if (hub.createPolicy("device-policy", Policies.DEVICE).exitCode() != 0) {
        throw new IllegalStateException("policy");
      }
      List<Mqtt5AsyncClient> clients = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        String thing = "load-" + i;
        hub.issueDevice(thing, "device-policy", dir.resolve("certs"));
        var client =
            new DeviceClients(hub.mqttPort(), dir.resolve("certs")).mqtt5(thing, thing).toAsync();
        client.connect().get();
        clients.add(client);
      }
      for (boolean denied : new boolean[] {false, true}) {
        long start = System.nanoTime();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
          Mqtt5AsyncClient client = clients.get(i);
          String topic = denied ? "devices/nobody/t" : "devices/load-" + i + "/t";
          all.add(CompletableFuture.runAsync(() -> publish(client, topic, messages / publishers)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!warmUp) {
          System.out.printf(
              "audit=%-5s publishes=%-7s %d QoS1 messages in %.2f s = %.0f msg/s%n",
              audit ? "on" : "off",
              denied ? "denied" : "allowed",
              messages,
              seconds,
              messages / seconds);
        }
      }
      for (var client : clients) {
        client.disconnect().get();
      }
    }
    if (audit && !warmUp) {
      Path log = dir.resolve("data/audit");
      var key =
          io.mamori.hub.pki.Pem.parseCertificate(
              Files.readString(log.resolve("audit-signing.crt")));
      var result = new io.mamori.hub.audit.AuditVerifier(key.getPublicKey()).verify(log);
      System.out.printf(
          "  audit log: %d records, intact=%s, gaps=%s%n",
          result.records(), result.intact(), result.hasGaps());
    }
  }

  private static void publish(Mqtt5AsyncClient client, String topic, int count) {
    Semaphore window = new Semaphore(100);
    byte[] payload = new byte[64];
    List<CompletableFuture<?>> sent = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      window.acquireUninterruptibly();
      sent.add(
          client
              .publishWith()
              .topic(topic)
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(payload)
              .send()
              .handle(
                  (result, error) -> {
                    // A denied PUBLISH completes with PUBACK 0x87, reported as an error.
                    window.release();
                    return null;
                  }));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
  }
}
