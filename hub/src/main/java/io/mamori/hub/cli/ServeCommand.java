package io.mamori.hub.cli;

import io.mamori.hub.config.BrokerLimits;
import io.mamori.hub.config.HubConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mamori serve}: builds the configuration, starts the hub and runs until stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Start the hub: MQTT over mutual TLS for devices, HTTPS admin API for operators.",
      "On first start with an empty data directory it creates the CA, the hub's TLS",
      "certificate, the database and an admin token. Ctrl-C or SIGTERM stops it gracefully."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "${env:MAMORI_DATA:-mamori-data}",
      description = "Data directory (default: ${DEFAULT-VALUE}; env MAMORI_DATA).")
  Path dataDir;

  @Option(
      names = "--mqtt-port",
      defaultValue = "8883",
      description = "MQTT/TLS port; 0 picks a free port (default: ${DEFAULT-VALUE}).")
  int mqttPort;

  @Option(
      names = "--mqtt-host",
      defaultValue = "0.0.0.0",
      description = "Address the MQTT listener binds to (default: ${DEFAULT-VALUE}).")
  String mqttHost;

  @Option(
      names = "--api-port",
      defaultValue = "8443",
      description = "Admin API port; 0 picks a free port (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(
      names = "--api-host",
      defaultValue = "127.0.0.1",
      description =
          "Address the admin API binds to (default: ${DEFAULT-VALUE}, this machine only).")
  String apiHost;

  @Option(
      names = "--hostname",
      paramLabel = "NAME",
      description =
          "Extra DNS name or IP address for the hub's TLS certificate (repeatable). localhost,"
              + " 127.0.0.1 and ::1 are always included.")
  List<String> hostnames = new ArrayList<>();

  @Option(
      names = "--region",
      defaultValue = "local",
      description = "Region the hub answers to in policy ARNs (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(
      names = "--account",
      defaultValue = "000000000000",
      description = "Account id the hub answers to in policy ARNs (default: ${DEFAULT-VALUE}).")
  String account;

  @Option(
      names = "--cert-days",
      defaultValue = "365",
      description = "Default validity of issued device certificates (default: ${DEFAULT-VALUE}).")
  int certificateDays;

  @Option(
      names = "--max-connections",
      description = "Most concurrent MQTT connections (default: 50000).")
  Integer maxConnections;

  @Override
  public Integer call() throws Exception {
    BrokerLimits limits =
        maxConnections == null
            ? BrokerLimits.defaults()
            : BrokerLimits.defaults().withMaxConnections(maxConnections);
    HubConfig config =
        new HubConfig(
            dataDir.toAbsolutePath().normalize(),
            mqttHost,
            mqttPort,
            apiHost,
            apiPort,
            hostnames,
            region,
            account,
            certificateDays,
            limits);

    Hub hub = Hub.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  hub.close();
                  stopped.countDown();
                },
                "mamori-shutdown"));
    printWhereItListens(hub, spec.commandLine().getOut());
    stopped.await();
    return 0;
  }

  private static void printWhereItListens(Hub hub, PrintWriter out) {
    HubConfig config = hub.config();
    out.printf("Mamori hub is running%n");
    out.printf("  MQTT over mutual TLS  %s:%d%n", config.mqttHost(), hub.mqttPort());
    out.printf("  Admin API             %s  (token: %s)%n", hub.apiUrl(), config.adminTokenFile());
    out.printf("  CA for devices        %s%n", config.pkiDir().resolve("ca-chain.pem"));
    out.printf("  Data                  %s%n", config.dataDir());
    out.flush();
  }
}
