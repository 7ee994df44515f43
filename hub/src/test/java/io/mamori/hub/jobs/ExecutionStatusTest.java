package io.mamori.hub.jobs;

import static io.mamori.hub.jobs.ExecutionStatus.CANCELED;
import static io.mamori.hub.jobs.ExecutionStatus.FAILED;
import static io.mamori.hub.jobs.ExecutionStatus.IN_PROGRESS;
import static io.mamori.hub.jobs.ExecutionStatus.QUEUED;
import static io.mamori.hub.jobs.ExecutionStatus.REJECTED;
import static io.mamori.hub.jobs.ExecutionStatus.REMOVED;
import static io.mamori.hub.jobs.ExecutionStatus.SUCCEEDED;
import static io.mamori.hub.jobs.ExecutionStatus.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The execution state machine of reference §3.3. */
class ExecutionStatusTest {
  @Test
  void terminalStatusesAreExactlyAwsOnes() {
    assertThat(EnumSet.allOf(ExecutionStatus.class).stream().filter(ExecutionStatus::terminal))
        .containsExactlyInAnyOrder(SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED);
  }

  @Test
  void devicesMoveOnlyPendingExecutionsAndOnlyToDeviceStatuses() {
    for (ExecutionStatus from : ExecutionStatus.values()) {
      for (ExecutionStatus to : ExecutionStatus.values()) {
        boolean expected =
            (from == QUEUED || from == IN_PROGRESS)
                && EnumSet.of(IN_PROGRESS, SUCCEEDED, FAILED, REJECTED).contains(to);
        assertThat(from.deviceMayMoveTo(to)).as(from + " -> " + to).isEqualTo(expected);
      }
    }
  }

  @Test
  void succeededNeverGoesBackToInProgress() {
    assertThat(SUCCEEDED.deviceMayMoveTo(IN_PROGRESS)).isFalse();
  }

  @Test
  void serviceCancelsAndRemovesPendingAndTimesOutOnlyInProgress() {
    assertThat(QUEUED.serviceMayMoveTo(CANCELED)).isTrue();
    assertThat(IN_PROGRESS.serviceMayMoveTo(CANCELED)).isTrue();
    assertThat(QUEUED.serviceMayMoveTo(REMOVED)).isTrue();
    assertThat(IN_PROGRESS.serviceMayMoveTo(TIMED_OUT)).isTrue();
    assertThat(QUEUED.serviceMayMoveTo(TIMED_OUT)).isFalse();
    assertThat(SUCCEEDED.serviceMayMoveTo(CANCELED)).isFalse();
    assertThat(QUEUED.serviceMayMoveTo(SUCCEEDED)).isFalse();
  }
}
