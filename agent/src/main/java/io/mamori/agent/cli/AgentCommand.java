package io.mamori.agent.cli;

import picocli.CommandLine.Command;

/** {@code mamori-agent}: the reference device; one subcommand per device-side task. */
@Command(
    name = "mamori-agent",
    mixinStandardHelpOptions = true,
    version = "mamori-agent 0.1.0",
    description = "Mamori's reference device: talks to a Mamori hub (or AWS IoT) over MQTT/mTLS.",
    subcommands = {
      RotateCommand.class,
      ProvisionCommand.class,
      RunCommand.class,
      SimulateCommand.class
    })
public final class AgentCommand {}
