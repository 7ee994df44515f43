package io.mamori.hub.cli;

import io.mamori.hub.config.BrokerLimits;
import io.mamori.hub.config.CaKeyConfig;
import io.mamori.hub.config.HubConfig;
import io.mamori.hub.config.PkiPublicationSettings;
import io.mamori.hub.config.PublishBackPressure;
import io.mamori.hub.pki.CaPassphrase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
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

  @Option(
      names = "--max-filters-per-subscribe",
      description =
          "Most topic filters honoured in one SUBSCRIBE; the rest get SUBACK 0x97/0x80"
              + " (default: 8).")
  Integer maxFiltersPerSubscribe;

  @Option(
      names = "--max-publishes-per-second",
      description = "Inbound PUBLISH rate per connection, 0 = unlimited (default: 100).")
  Integer maxPublishesPerSecond;

  @Option(
      names = "--max-connects-per-second-per-source",
      description =
          "New MQTT connections per second from one IP address, 0 = unlimited (default: 0; devices"
              + " behind one NAT share an address).")
  Integer maxConnectsPerSecondPerSource;

  @Option(
      names = "--queue-high-water",
      description =
          "Publisher back-pressure: messages queued for a connected subscriber from which the"
              + " PUBACKs of QoS 1 publishers reaching it are held back, 0 = off (default: 100).")
  Integer queueHighWater;

  @Option(
      names = "--queue-low-water",
      description =
          "Publisher back-pressure: queued messages at or below which held-back PUBACKs go out"
              + " (default: 50, at most half the high-water mark).")
  Integer queueLowWater;

  @Option(
      names = "--max-puback-delay-ms",
      description =
          "Publisher back-pressure: longest a PUBACK is held back for a congested subscriber"
              + " (default: 2000).")
  Long maxPubAckDelayMillis;

  @Option(
      names = "--pki-http-port",
      defaultValue = "8080",
      description =
          "Plain-HTTP port serving CRLs and OCSP (the URLs in issued certificates); 0 picks a free"
              + " port (default: ${DEFAULT-VALUE}).")
  int pkiHttpPort;

  @Option(
      names = "--pki-http-host",
      defaultValue = "0.0.0.0",
      description = "Address the CRL/OCSP listener binds to (default: ${DEFAULT-VALUE}).")
  String pkiHttpHost;

  @Option(
      names = "--pki-base-url",
      paramLabel = "URL",
      description =
          "Base URL written into certificates for CRL and OCSP, e.g. http://pki.example.com"
              + " (default: http://<first --hostname, or localhost>:<PKI port>).")
  String pkiBaseUrl;

  @Option(
      names = "--crl-validity-hours",
      defaultValue = "24",
      description =
          "Hours from a CRL's thisUpdate to its nextUpdate; CRLs are re-signed at half of it and on"
              + " every revocation (default: ${DEFAULT-VALUE}).")
  int crlValidityHours;

  @Option(
      names = "--ocsp-validity-minutes",
      defaultValue = "60",
      description =
          "Minutes from an OCSP response's thisUpdate to its nextUpdate; cached responses are"
              + " re-signed at half of it (default: ${DEFAULT-VALUE}).")
  int ocspValidityMinutes;

  @Option(
      names = "--rotation-grace",
      paramLabel = "DURATION",
      defaultValue = "7d",
      converter = DurationConverter.class,
      description =
          "After a device rotates its certificate over MQTT, its old certificate is deactivated"
              + " when the new one connects, or after this long at the latest (e.g. 7d, 12h, 30m,"
              + " 90s; default: ${DEFAULT-VALUE}).")
  Duration rotationGrace;

  @Option(
      names = "--ca-passphrase-file",
      paramLabel = "FILE",
      description =
          "File whose first line is the passphrase of the CA's encrypted private keys (else env"
              + " MAMORI_CA_PASSPHRASE; with neither, DIR/ca-passphrase, generated on first start).")
  Optional<Path> caPassphraseFile = Optional.empty();

  @Option(
      names = "--ca-pkcs11-library",
      paramLabel = "SO",
      description =
          "PKCS#11 module holding the issuing CA key, e.g. /usr/lib/softhsm/libsofthsm2.so.")
  Optional<Path> pkcs11Library = Optional.empty();

  @Option(
      names = "--ca-pkcs11-slot",
      paramLabel = "ID",
      description = "Slot id of the token in --ca-pkcs11-library.")
  Optional<Long> pkcs11Slot = Optional.empty();

  @Option(
      names = "--ca-pkcs11-config",
      paramLabel = "FILE",
      description =
          "SunPKCS11 configuration file, instead of --ca-pkcs11-library/--ca-pkcs11-slot.")
  Optional<Path> pkcs11Config = Optional.empty();

  @Option(
      names = "--ca-pkcs11-pin-file",
      paramLabel = "FILE",
      description = "File holding the token's user PIN (required with PKCS#11).")
  Optional<Path> pkcs11PinFile = Optional.empty();

  @Option(
      names = "--audit-copy-dir",
      paramLabel = "DIR",
      description =
          "Also copy the audit log, as it grows, into this directory (another disk or mount).")
  Path auditCopyDir;

  @Option(
      names = "--audit-copy-url",
      paramLabel = "URL",
      description =
          "Also POST the audit log, as it grows, to this https:// endpoint (JSON lines; resumes"
              + " after restarts). Bearer token from env MAMORI_AUDIT_COPY_TOKEN if set.")
  java.net.URI auditCopyUrl;

  @Option(
      names = "--audit-copy-ca",
      paramLabel = "FILE",
      description = "PEM CA certificates to trust for --audit-copy-url (default: the JDK's).")
  Path auditCopyCa;

  @Option(
      names = "--audit-checkpoint-every",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Signed audit checkpoint after at most N records (default: ${DEFAULT-VALUE}).")
  int auditCheckpointEvery;

  @Option(
      names = "--audit-checkpoint-seconds",
      paramLabel = "S",
      defaultValue = "60",
      description =
          "Signed audit checkpoint at least every S seconds while events arrive (default:"
              + " ${DEFAULT-VALUE}).")
  long auditCheckpointSeconds;

  @Option(
      names = "--audit-log",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Keep the tamper-evident audit log (default: on; --no-audit-log only to measure"
              + " without it).")
  boolean auditLog;

  @Option(
      names = "--detect-period",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Defender Detect evaluates every behaviour once per period; cloud-side metrics are one"
              + " datapoint per device per period (default: ${DEFAULT-VALUE}).")
  Duration detectPeriod;

  @Option(
      names = "--dormant-after",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Raise a Detect alarm (profile hub-dormancy) for any registered thing not in contact for"
              + " this long, e.g. 24h (default: off; profiles can watch"
              + " mamori:seconds-since-last-contact instead).")
  Duration dormantAfter;

  @Option(
      names = "--detect-learning-datapoints",
      paramLabel = "N",
      defaultValue = "60",
      description =
          "Datapoints of a device's own history before a learned baseline (mlDetectionConfig)"
              + " judges it (default: ${DEFAULT-VALUE}).")
  int learningDatapoints;

  @Override
  public Integer call() throws Exception {
    BrokerLimits limits =
        maxConnections == null
            ? BrokerLimits.defaults()
            : BrokerLimits.defaults().withMaxConnections(maxConnections);
    if (maxFiltersPerSubscribe != null) {
      limits = limits.withMaxFiltersPerSubscribe(maxFiltersPerSubscribe);
    }
    if (maxPublishesPerSecond != null) {
      limits = limits.withMaxPublishesPerSecond(maxPublishesPerSecond);
    }
    if (maxConnectsPerSecondPerSource != null) {
      limits = limits.withMaxConnectsPerSecondPerSource(maxConnectsPerSecondPerSource);
    }
    limits = limits.withPublishBackPressure(publishBackPressure(limits.publishBackPressure()));
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
            limits,
            new PkiPublicationSettings(
                pkiHttpHost,
                pkiHttpPort,
                Optional.ofNullable(pkiBaseUrl),
                Duration.ofHours(crlValidityHours),
                Duration.ofMinutes(ocspValidityMinutes)),
            rotationGrace,
            new CaKeyConfig(
                Optional.ofNullable(System.getenv(CaPassphrase.ENVIRONMENT_VARIABLE)),
                caPassphraseFile,
                pkcs11Library,
                pkcs11Slot,
                pkcs11Config,
                pkcs11PinFile));

    var detect =
        new io.mamori.hub.detect.DetectSettings(
            detectPeriod, Optional.ofNullable(dormantAfter), learningDatapoints);
    Hub hub = Hub.start(config, auditSettings(), detect);
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

  private io.mamori.hub.audit.AuditSettings auditSettings() {
    var settings =
        io.mamori.hub.audit.AuditSettings.defaults()
            .withEnabled(auditLog)
            .withCheckpoints(
                auditCheckpointEvery, java.time.Duration.ofSeconds(auditCheckpointSeconds));
    if (auditCopyDir != null) {
      settings = settings.withCopyDir(auditCopyDir.toAbsolutePath().normalize());
    }
    if (auditCopyUrl != null) {
      settings =
          settings.withCopyUrl(
              auditCopyUrl,
              java.util.Optional.ofNullable(auditCopyCa),
              java.util.Optional.ofNullable(System.getenv("MAMORI_AUDIT_COPY_TOKEN"))
                  .filter(t -> !t.isBlank()));
    }
    return settings;
  }

  private static void printWhereItListens(Hub hub, PrintWriter out) {
    HubConfig config = hub.config();
    out.printf("Mamori hub is running%n");
    out.printf("  MQTT over mutual TLS  %s:%d%n", config.mqttHost(), hub.mqttPort());
    out.printf("  Admin API             %s  (token: %s)%n", hub.apiUrl(), config.adminTokenFile());
    out.printf("  CA for devices        %s%n", config.pkiDir().resolve("ca-chain.pem"));
    out.printf("  CRL and OCSP (HTTP)   %s%n", hub.pkiPublication().urls().baseUrl());
    out.printf("  Data                  %s%n", config.dataDir());
    out.printf("  Metrics               %s/metrics  (same token)%n", hub.apiUrl());
    out.flush();
  }

  private PublishBackPressure publishBackPressure(PublishBackPressure defaults) {
    int high = queueHighWater == null ? defaults.highWater() : queueHighWater;
    int low = queueLowWater == null ? Math.min(defaults.lowWater(), high / 2) : queueLowWater;
    Duration delay =
        maxPubAckDelayMillis == null
            ? defaults.maxAckDelay()
            : Duration.ofMillis(maxPubAckDelayMillis);
    try {
      return new PublishBackPressure(high, low, delay);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
