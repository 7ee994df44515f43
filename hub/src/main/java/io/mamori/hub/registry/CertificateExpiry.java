package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.CertificateIds;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;
import javax.security.auth.x500.X500Principal;

/**
 * Finds device and CA certificates expiring within N days (AWS audit check
 * DEVICE_CERTIFICATE_EXPIRING_CHECK, reference §6.4) and raises one {@code certificate.expiring}
 * event per certificate and warning window, remembered in {@link ExpiryNotices} so a periodic check
 * never repeats itself. Revoked certificates are not reported: nobody will renew them.
 */
public final class CertificateExpiry {
  /** Longest window a report may ask for: ten years. */
  public static final int MAX_DAYS = 3650;

  private final CertificateRepository devices;
  private final CaCertificateRepository cas;
  private final List<X509Certificate> hubChain;
  private final ExpiryNotices notices;
  private final EventPublisher events;
  private final Clock clock;
  private final TreeSet<Integer> windows;

  /**
   * @param windows warning windows in days, e.g. 30, 7, 1: one event as each is entered
   */
  public CertificateExpiry(
      CertificateRepository devices,
      CaCertificateRepository cas,
      List<X509Certificate> hubChain,
      ExpiryNotices notices,
      EventPublisher events,
      Clock clock,
      List<Integer> windows) {
    if (windows.isEmpty() || windows.stream().anyMatch(w -> w < 1 || w > MAX_DAYS)) {
      throw new IllegalArgumentException("expiry windows must be 1 to " + MAX_DAYS + " days");
    }
    this.devices = devices;
    this.cas = cas;
    this.hubChain = List.copyOf(hubChain);
    this.notices = notices;
    this.events = events;
    this.clock = clock;
    this.windows = new TreeSet<>(windows);
  }

  /** Certificates (not revoked) whose notAfter is before now + {@code days}, soonest first. */
  public List<ExpiringCertificate> within(int days) {
    if (days < 0 || days > MAX_DAYS) {
      throw RegistryException.invalid("days must be 0 to " + MAX_DAYS + ", got " + days);
    }
    Instant before = clock.instant().plus(Duration.ofDays(days));
    List<ExpiringCertificate> found = new ArrayList<>();
    for (DeviceCertificate c : devices.expiringBefore(before)) {
      found.add(
          new ExpiringCertificate(
              c.id(),
              ExpiringCertificate.Kind.DEVICE,
              c.subject(),
              c.status().name(),
              c.notAfter()));
    }
    for (CaCertificate ca : cas.list()) {
      if (ca.status() != CaCertificateStatus.REVOKED && ca.notAfter().isBefore(before)) {
        found.add(
            new ExpiringCertificate(
                ca.id(),
                ExpiringCertificate.Kind.CA,
                ca.subject(),
                ca.status().name(),
                ca.notAfter()));
      }
    }
    for (X509Certificate own : hubChain) {
      Instant notAfter = own.getNotAfter().toInstant();
      if (notAfter.isBefore(before)) {
        found.add(
            new ExpiringCertificate(
                CertificateIds.of(own),
                ExpiringCertificate.Kind.HUB_CA,
                own.getSubjectX500Principal().getName(X500Principal.RFC2253),
                "ACTIVE",
                notAfter));
      }
    }
    found.sort(
        Comparator.comparing(ExpiringCertificate::notAfter).thenComparing(ExpiringCertificate::id));
    return found;
  }

  /**
   * Raises {@code certificate.expiring} for each certificate that entered a window it was not yet
   * reported in (one event naming the narrowest such window); returns how many were raised.
   */
  public int raiseEvents() {
    Instant now = clock.instant();
    int raised = 0;
    for (ExpiringCertificate expiring : within(windows.last())) {
      long daysLeft = Duration.between(now, expiring.notAfter()).toDays();
      Integer narrowest = null;
      // Widest first, so that every window the certificate is in is recorded, and the event
      // names the narrowest one that is new.
      for (int window : windows.descendingSet()) {
        if (expiring.notAfter().isBefore(now.plus(Duration.ofDays(window)))
            && notices.record(expiring.id(), window, expiring.notAfter(), now)) {
          narrowest = window;
        }
      }
      if (narrowest != null) {
        events.publish(event(expiring, narrowest, daysLeft, now));
        raised++;
      }
    }
    return raised;
  }

  private static HubEvent event(
      ExpiringCertificate expiring, int window, long daysLeft, Instant now) {
    var details = new LinkedHashMap<String, String>();
    details.put("kind", expiring.kind().name());
    details.put("certificateSubject", expiring.subject());
    details.put("status", expiring.status());
    details.put("notAfter", expiring.notAfter().toString());
    details.put("daysLeft", Long.toString(daysLeft));
    details.put("windowDays", Integer.toString(window));
    String reason =
        expiring.notAfter().isAfter(now)
            ? "expires within " + window + " days"
            : "expired at " + expiring.notAfter();
    return new HubEvent(
        "certificate.expiring", now, "hub", expiring.id(), HubEvent.SUCCESS, reason, details);
  }
}
