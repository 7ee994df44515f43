package io.mamori.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Scenarios only Mamori has: certificate issuance and live revocation. */
final class MamoriOnly {
  private final Provisioner provisioner;
  private final LoadClient client;

  MamoriOnly(Provisioner provisioner, LoadClient client) {
    this.provisioner = provisioner;
    this.client = client;
  }

  /**
   * Issues {@code count} device certificates (hub-generated P-256 keys, each signed by the hub's CA
   * and stored in the registry with a policy attached) through the admin API from {@code
   * parallelism} clients; returns the rate and the devices, which are fresh each run.
   */
  Issued issue(int count, int parallelism) throws Exception {
    String prefix = "bench-victim-" + System.currentTimeMillis() + "-";
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      long started = System.nanoTime();
      List<Future<Provisioner.IssuedDevice>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = prefix + i;
        futures.add(pool.submit(() -> provisioner.issue(name, Provisioner.DEVICE_POLICY)));
      }
      List<Provisioner.IssuedDevice> issued = new ArrayList<>();
      for (var future : futures) {
        issued.add(future.get());
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      return new Issued(count / seconds, issued);
    } finally {
      pool.shutdownNow();
    }
  }

  record Issued(double perSecond, List<Provisioner.IssuedDevice> devices) {}

  /**
   * Connects each victim, then revokes them one by one through the admin API and measures from the
   * moment the request is sent until the victim's connection is closed by the hub.
   */
  Map<String, Double> revokeToDisconnect(int port, List<Provisioner.IssuedDevice> victims)
      throws Exception {
    List<LoadConnection> connections = new ArrayList<>();
    for (var victim : victims) {
      connections.add(client.connectAndWait(provisioner.device(victim), victim.name(), port));
    }
    Latencies latencies = new Latencies();
    int missed = 0;
    for (int i = 0; i < victims.size(); i++) {
      long t0 = System.nanoTime();
      provisioner.revoke(victims.get(i).certificateId());
      try {
        long closedAt = connections.get(i).closed().get(10, TimeUnit.SECONDS);
        latencies.record(closedAt - t0);
      } catch (java.util.concurrent.TimeoutException e) {
        missed++;
        connections.get(i).close();
      }
    }
    return Map.of(
        "revoke.p50", latencies.percentileMillis(50),
        "revoke.p99", latencies.percentileMillis(99),
        "revoke.max", latencies.percentileMillis(100),
        "revoke.missed", (double) missed);
  }
}
