package io.mamori.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.agent.connection.DeviceConnection;
import io.mamori.agent.connection.Endpoint;
import io.mamori.agent.credentials.DeviceCredentials;
import io.mamori.agent.identity.CertificateApi;
import io.mamori.agent.identity.KeyAndCsr;
import io.mamori.hub.it.HubFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: measures fleet provisioning through the CSR path (create-from-csr + RegisterThing,
 * JSON) against a fresh hub, reported, never asserted. {@code clients} claim connections each
 * provision devices one after the other until {@code devices} are done; the devices' P-256 keys and
 * CSRs are made before the clock starts, so the figure is the hub's side (signing, registry
 * transaction, MQTT round trips). Run as the README's "Provisioning" section shows.
 */
public final class ProvisioningRate {
  private ProvisioningRate() {}

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Path dir = Files.createTempDirectory("mamori-provisioning-rate");
    try (HubFixture hub = new HubFixture(dir.resolve("hub")).start()) {
      Path certs = dir.resolve("certs");
      hub.createPolicy("claim", ProvisioningIT.CLAIM);
      hub.createPolicy("device", ProvisioningIT.DEVICE);
      hub.issueDevice("claim", "claim", certs);
      hub.cli("thing", "delete", "claim");
      Path template = dir.resolve("fleet.json");
      Files.writeString(template, ProvisioningIT.TEMPLATE);
      hub.cli("template", "create", "fleet", "--document", template.toString(), "--enabled");
      List<String> csrs = new ArrayList<>();
      for (int i = 0; i < devices + clients * 5; i++) {
        csrs.add(KeyAndCsr.generateP256("d" + i).csrPem());
      }
      var credentials =
          new DeviceCredentials(
              certs.resolve("claim.crt"), certs.resolve("claim.key"), certs.resolve("ca.crt"));
      List<DeviceConnection> connections = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        connections.add(
            DeviceConnection.open(
                new Endpoint("localhost", hub.mqttPort()),
                credentials,
                "factory-" + c,
                Duration.ofSeconds(30)));
      }
      AtomicInteger next = new AtomicInteger();
      // Warm-up (JIT, first transactions): 5 devices per connection, not timed.
      run(connections, csrs, next, clients * 5);
      long started = System.nanoTime();
      run(connections, csrs, next, clients * 5 + devices);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "provisioned %d devices with %d claim connections in %.2f s: %.1f devices/s%n",
          devices, clients, seconds, devices / seconds);
      connections.forEach(DeviceConnection::close);
    }
    System.exit(0);
  }

  private static void run(
      List<DeviceConnection> connections, List<String> csrs, AtomicInteger next, int until)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    ExecutorService pool = Executors.newFixedThreadPool(connections.size());
    List<Future<?>> done = new ArrayList<>();
    for (DeviceConnection connection : connections) {
      done.add(
          pool.submit(
              () -> {
                var api = new CertificateApi(connection.requests(), CertificateApi.Format.JSON);
                for (int i = next.getAndIncrement(); i < until; i = next.getAndIncrement()) {
                  var issued = api.createFromCsr(csrs.get(i));
                  var request = json.createObjectNode();
                  request.put("certificateOwnershipToken", issued.certificateOwnershipToken());
                  request.putObject("parameters").put("SerialNumber", "rate" + i);
                  var answer =
                      connection
                          .requests()
                          .request(
                              "$aws/provisioning-templates/fleet/provision/json",
                              json.writeValueAsBytes(request));
                  if (!answer.accepted()) {
                    throw new IllegalStateException(new String(answer.payload()));
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }
}
