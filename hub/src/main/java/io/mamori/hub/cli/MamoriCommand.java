package io.mamori.hub.cli;

import picocli.CommandLine.Command;

/** The top-level {@code mamori} command: the hub server and the admin commands. */
@Command(
    name = "mamori",
    mixinStandardHelpOptions = true,
    version = "mamori 0.1.0",
    description = "Mamori: self-hosted IoT device security hub.",
    subcommands = {
      ServeCommand.class,
      CaCommand.class,
      ThingCommand.class,
      PolicyCommand.class,
      CertCommand.class,
      ShadowCommand.class,
      ThingTypeCommand.class,
      ThingGroupCommand.class,
      AuditCommand.class,
      DefenderCommand.class,
      WebhookCommand.class,
      TemplateCommand.class,
      GenuineCommand.class,
      ProvisionCommand.class,
      JobCommand.class,
      FirmwareCommand.class
    })
public final class MamoriCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
