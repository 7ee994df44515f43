package io.mamori.agent.cli;

import io.mamori.agent.AgentException;
import io.mamori.agent.connection.DeviceConnection;
import io.mamori.agent.connection.HubHttps;
import io.mamori.agent.credentials.DeviceCredentials;
import io.mamori.agent.credentials.PemFiles;
import io.mamori.agent.jobs.ConfigJob;
import io.mamori.agent.jobs.FactoryResetJob;
import io.mamori.agent.jobs.FirmwareSlots;
import io.mamori.agent.jobs.JobRunner;
import io.mamori.agent.jobs.OtaJob;
import io.mamori.agent.jobs.RebootJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mamori-agent run}: the device's job runner (OTA, reboot, factory reset, config). */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Connect with the device certificate and run jobs until stopped (AWS Jobs MQTT API).",
      "",
      "ota: download over HTTPS, check size, SHA-256 and the signature against --signing-cert,"
          + " then install into the inactive A/B slot under --data and switch to it; anything"
          + " that does not verify is reported FAILED and never installed.",
      "reboot: reconnect (simulated restart), then report SUCCEEDED.",
      "factory-reset: delete --cert, --key and everything under --data, report SUCCEEDED, exit"
          + " (the hub then revokes and detaches the certificate).",
      "config: store the settings in --data/settings.json and the shadow's reported state."
    })
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "The device's data directory: firmware slots, settings.")
  Path data;

  @Option(
      names = "--signing-cert",
      required = true,
      paramLabel = "FILE",
      description =
          "The hub's code-signing certificate to pin (from 'mamori firmware signing-cert');"
              + " firmware not signed by its key is refused.")
  Path signingCertificate;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print each step on stderr.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    DeviceCredentials credentials = connection.credentials();
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new AgentException("cannot create " + data + ": " + e.getMessage(), e);
    }
    var pinned = PemFiles.certificates(signingCertificate);
    if (pinned.isEmpty()) {
      throw new AgentException(signingCertificate + " holds no certificate");
    }
    var runner =
        new JobRunner(
            () ->
                DeviceConnection.open(
                    connection.endpoint(), credentials, connection.clientId, connection.timeout()),
            List.of(
                new OtaJob(
                    new HubHttps(credentials, connection.timeout()),
                    pinned.get(0).getPublicKey(),
                    new FirmwareSlots(data)),
                new RebootJob(data, Clock.systemUTC()),
                new FactoryResetJob(credentials, data),
                new ConfigJob(data)),
            step -> {
              if (verbose) {
                err.println("mamori-agent: " + step);
                err.flush();
              }
            });
    boolean ended = runner.run();
    spec.commandLine()
        .getOut()
        .println(ended ? "factory reset: credentials and data wiped" : "stopped");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
