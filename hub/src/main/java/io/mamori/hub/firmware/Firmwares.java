package io.mamori.hub.firmware;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.jobs.DeliveredDocuments;
import io.mamori.hub.pki.CodeSigningKey;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqliteFirmwareRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wires the firmware feature for the hub: images and the URL key in {@code DATA/firmware}, records
 * in SQLite. Download URLs name the API listener, whose address is known only once it has bound
 * ({@link #apiStarted}); documents delivered before then keep their placeholder.
 */
public final class Firmwares {
  /** How long a download URL handed to a device stays valid. */
  public static final Duration URL_LIFETIME = Duration.ofMinutes(15);

  private final FirmwareService service;
  private final DownloadUrls urls;
  private final AtomicReference<String> apiUrl = new AtomicReference<>();

  private Firmwares(FirmwareService service, DownloadUrls urls) {
    this.service = service;
    this.urls = urls;
  }

  public static Firmwares open(
      Path dataDir,
      CodeSigningKey signingKey,
      SqliteDatabase database,
      EventPublisher events,
      Clock clock) {
    Path dir = dataDir.resolve("firmware");
    DownloadUrls urls = DownloadUrls.loadOrCreate(dir, URL_LIFETIME, clock);
    return new Firmwares(
        new FirmwareService(
            new SqliteFirmwareRepository(database),
            new FirmwareFiles(dir),
            signingKey,
            database,
            events,
            clock),
        urls);
  }

  public FirmwareService service() {
    return service;
  }

  public DownloadUrls urls() {
    return urls;
  }

  /** Job documents as devices receive them: firmware URL placeholders filled per thing. */
  public DeliveredDocuments deliveredDocuments() {
    FirmwareDocuments documents = new FirmwareDocuments(urls, apiUrl::get);
    return (thing, stored) -> apiUrl.get() == null ? stored : documents.forThing(thing, stored);
  }

  /** The API listener's base URL, e.g. {@code https://127.0.0.1:8443}. */
  public void apiStarted(String url) {
    apiUrl.set(url);
  }
}
