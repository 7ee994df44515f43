package io.mamori.hub.registry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records each call together with what an independent connection saw at that moment, so tests can
 * tell that the listener was told after the change committed.
 */
final class RecordingListener implements RegistryListener {
  final List<String> calls = new CopyOnWriteArrayList<>();
  private final CommittedView committed;

  RecordingListener(CommittedView committed) {
    this.committed = committed;
  }

  @Override
  public void certificateStatusChanged(
      String certificateId, CertificateStatus from, CertificateStatus to) {
    calls.add(
        "status "
            + certificateId
            + " "
            + from
            + "->"
            + to
            + " committed="
            + committed.status(certificateId).orElse("none"));
  }

  @Override
  public void certificatePermissionsChanged(String certificateId) {
    calls.add("permissions " + certificateId + " committed=" + committed.policiesOf(certificateId));
  }

  @Override
  public void thingChanged(String thingName) {
    calls.add("thing " + thingName + " committedExists=" + committed.thingExists(thingName));
  }
}
