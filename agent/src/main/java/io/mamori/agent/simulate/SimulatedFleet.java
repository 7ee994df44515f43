package io.mamori.agent.simulate;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.mamori.agent.AgentException;
import io.mamori.agent.connection.Endpoint;
import io.mamori.agent.connection.MutualTls;
import io.mamori.agent.credentials.DeviceCredentials;
import io.mamori.agent.identity.CertificateApi;
import io.mamori.agent.identity.FleetProvisioning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * N virtual devices in one process. Each gets its own certificate by fleet provisioning by claim
 * (the path real devices take: CSR, RegisterThing with the template, credentials kept under the
 * state directory and reused on the next run), and all of their MQTT clients share one Netty event
 * loop group of a few threads: memory per device is a client and a TLS session, not a thread.
 */
public final class SimulatedFleet implements AutoCloseable {
  /** How many TLS handshakes may be under way at once while connecting the fleet. */
  private static final int CONNECTS_IN_FLIGHT = 32;

  private static final int PROVISIONING_SESSIONS = 4;

  /**
   * What the simulator needs.
   *
   * @param serialPrefix device i gets the template parameter SerialNumber = prefix + i
   * @param stateDir credentials of device i go to stateDir/prefix+i/ (mode 0600 keys)
   */
  public record Settings(
      Endpoint endpoint,
      DeviceCredentials claim,
      String template,
      String serialPrefix,
      int devices,
      Path stateDir,
      int nettyThreads,
      Duration timeout) {
    public Settings {
      if (devices < 1) {
        throw new AgentException("--devices must be at least 1");
      }
      if (nettyThreads < 1) {
        throw new AgentException("--netty-threads must be at least 1");
      }
    }
  }

  private final Settings settings;
  private final FleetStats stats = new FleetStats();
  private final ExecutorService nettyThreads;
  private final MqttClientExecutorConfig executorConfig;
  private final List<VirtualDevice> devices = new ArrayList<>();

  public SimulatedFleet(Settings settings) {
    this.settings = settings;
    this.nettyThreads =
        Executors.newFixedThreadPool(
            settings.nettyThreads(),
            r -> {
              Thread t = new Thread(r, "simulator-netty");
              t.setDaemon(true);
              return t;
            });
    // One executor in the config = one shared event loop group for every client built with it.
    this.executorConfig =
        MqttClientExecutorConfig.builder()
            .nettyExecutor(nettyThreads)
            .nettyThreads(settings.nettyThreads())
            .build();
  }

  public FleetStats stats() {
    return stats;
  }

  /**
   * Provisions the devices that have no credentials yet under the state directory; those that do
   * are reused.
   *
   * @return the thing names, in device order
   */
  public List<String> provision(Consumer<String> progress) {
    ExecutorService sessions = Executors.newFixedThreadPool(PROVISIONING_SESSIONS);
    try {
      List<Future<String>> names = new ArrayList<>();
      for (int i = 0; i < settings.devices(); i++) {
        String serial = settings.serialPrefix() + i;
        names.add(sessions.submit(() -> provisionOne(serial)));
      }
      List<String> things = new ArrayList<>();
      for (Future<String> name : names) {
        things.add(name.get());
        if (things.size() % 100 == 0) {
          progress.accept(things.size() + " devices provisioned");
        }
      }
      return things;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof AgentException a
          ? a
          : new AgentException("provisioning failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("interrupted while provisioning");
    } finally {
      sessions.shutdownNow();
    }
  }

  private String provisionOne(String serial) throws IOException {
    Path dir = settings.stateDir().resolve(serial);
    Path nameFile = dir.resolve("thing-name");
    if (Files.exists(nameFile) && Files.exists(dir.resolve("device.crt"))) {
      return Files.readString(nameFile, StandardCharsets.UTF_8).strip();
    }
    Files.createDirectories(dir);
    var result =
        new FleetProvisioning(
                settings.endpoint(),
                "provision-" + serial,
                settings.timeout(),
                CertificateApi.Format.JSON,
                step -> {})
            .provision(settings.claim(), settings.template(), Map.of("SerialNumber", serial), dir);
    Files.writeString(nameFile, result.thingName(), StandardCharsets.UTF_8);
    return result.thingName();
  }

  /** Connects every device (client id = thing name) and starts its job loop. */
  public void connect(List<String> things, Outcomes outcomes) {
    Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
    List<CompletableFuture<Void>> connects = new ArrayList<>();
    for (int i = 0; i < things.size(); i++) {
      Path dir = settings.stateDir().resolve(settings.serialPrefix() + i);
      DeviceCredentials own =
          settings.claim().with(dir.resolve("device.crt"), dir.resolve("device.key"));
      var client =
          Mqtt5Client.builder()
              .identifier(things.get(i))
              .serverHost(settings.endpoint().host())
              .serverPort(settings.endpoint().port())
              .sslConfig(MutualTls.config(own))
              .executorConfig(executorConfig)
              .buildAsync();
      VirtualDevice device = new VirtualDevice(things.get(i), client, outcomes, stats);
      devices.add(device);
      inFlight.acquireUninterruptibly();
      connects.add(device.connect().whenComplete((ok, e) -> inFlight.release()));
    }
    try {
      CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new))
          .get(
              settings.timeout().toMillis() * Math.max(1, things.size() / 100),
              TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AgentException("a simulated device could not connect: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new AgentException(
          "only " + stats.connected.get() + " of " + things.size() + " devices connected in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("interrupted while connecting");
    }
  }

  @Override
  public void close() {
    CompletableFuture.allOf(
            devices.stream().map(VirtualDevice::disconnect).toArray(CompletableFuture[]::new))
        .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> null)
        .join();
    nettyThreads.shutdownNow();
  }
}
