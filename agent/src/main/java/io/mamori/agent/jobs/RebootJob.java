package io.mamori.agent.jobs;

import io.mamori.agent.AgentException;
import io.mamori.agent.connection.DeviceConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * {@code "operation": "reboot"}, simulated: the agent drops its connection and connects again, as a
 * device does after a restart. A marker file ({@code DATA/reboot-pending}) remembers which job
 * asked, so the execution, still IN_PROGRESS when the device comes back, is reported SUCCEEDED
 * after the restart rather than rebooting again, also across a real process restart.
 */
public final class RebootJob implements JobHandler {
  private final Path marker;
  private final Clock clock;

  public RebootJob(Path dataDir, Clock clock) {
    this.marker = dataDir.resolve("reboot-pending");
    this.clock = clock;
  }

  @Override
  public String operation() {
    return "reboot";
  }

  @Override
  public JobOutcome run(Execution execution, DeviceConnection connection) {
    String mark = execution.jobId() + "#" + execution.versionNumber();
    try {
      if (Files.exists(marker)
          && Files.readString(marker).strip().startsWith(execution.jobId() + "#")) {
        Files.delete(marker);
        return new JobOutcome.Succeeded(
            Map.of("rebootedAt", Long.toString(clock.instant().getEpochSecond())));
      }
      Files.createDirectories(marker.getParent());
      FirmwareSlots.writeAtomically(marker, mark.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AgentException("cannot record the reboot in " + marker + ": " + e.getMessage(), e);
    }
    return new JobOutcome.Restart();
  }
}
