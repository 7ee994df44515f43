package io.mamori.hub.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.firmware.DownloadUrls;
import io.mamori.hub.firmware.Firmware;
import io.mamori.hub.firmware.FirmwareException;
import io.mamori.hub.firmware.FirmwareService;
import io.mamori.hub.pki.Pem;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /api/v1/firmware}: operators upload and list firmware images (admin token); devices fetch
 * an image with the per-device URL of their OTA job document and the code-signing certificate to
 * pin. Those two routes are public: the download is authorized by its URL's HMAC (bound to the
 * thing, the firmware and an expiry, see {@link DownloadUrls}), the certificate is public data.
 */
final class FirmwareRoutes {
  /** Images are held in memory while uploaded and served; 32 MiB covers device firmware. */
  static final int MAX_FIRMWARE_BYTES = 32 * 1024 * 1024;

  private static final String FIRMWARE = "/api/v1/firmware/{firmwareId}";
  private final FirmwareService firmware;
  private final DownloadUrls urls;
  private final Representations views;
  private final EventPublisher events;
  private final Clock clock;

  FirmwareRoutes(
      FirmwareService firmware,
      DownloadUrls urls,
      Representations views,
      EventPublisher events,
      Clock clock) {
    this.firmware = firmware;
    this.urls = urls;
    this.views = views;
    this.events = events;
    this.clock = clock;
  }

  void register(Router router) {
    router
        .addUpload("POST", "/api/v1/firmware", this::upload, MAX_FIRMWARE_BYTES)
        .add("GET", "/api/v1/firmware", this::list)
        .addPublic("GET", "/api/v1/firmware/signing-certificate", this::signingCertificate)
        .add("GET", FIRMWARE, this::get)
        .addPublic("GET", FIRMWARE + "/download", this::download);
  }

  private ApiResponse upload(ApiRequest request) {
    String version =
        request
            .query("version")
            .orElseThrow(() -> ApiException.badRequest("the version query parameter is required"));
    return guarded(
        () ->
            new ApiResponse(
                201,
                Optional.of(view(firmware.upload(request.body(), version, AdminApiServer.ACTOR)))));
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode node = views.object();
    ArrayNode items = node.putArray("firmware");
    firmware.list().forEach(f -> items.add(summary(f)));
    return ApiResponse.ok(node);
  }

  private ApiResponse get(ApiRequest request) {
    return guarded(() -> ApiResponse.ok(view(firmware.get(request.path("firmwareId")))));
  }

  private ApiResponse signingCertificate(ApiRequest request) {
    return ApiResponse.text(
        "application/x-pem-file", Pem.encodeCertificate(firmware.signingKey().certificate()));
  }

  private ApiResponse download(ApiRequest request) {
    String id = request.path("firmwareId");
    Optional<String> thing = request.query("thing");
    Optional<String> refusal =
        urls.refusal(id, thing, request.query("expires"), request.query("signature"));
    if (refusal.isPresent()) {
      events.publish(
          new HubEvent(
              "firmware.download",
              clock.instant(),
              thing.orElse("unknown"),
              id,
              HubEvent.DENIED,
              refusal.get(),
              Map.of()));
      throw new ApiException(403, "forbidden", "download refused: " + refusal.get());
    }
    byte[] content = guarded(() -> firmware.content(id));
    events.publish(
        new HubEvent(
            "firmware.download", clock.instant(), thing.get(), id, HubEvent.SUCCESS, "", Map.of()));
    return new ApiResponse(
        200,
        Optional.empty(),
        Optional.of(new ApiResponse.Text("application/octet-stream", content)));
  }

  private ObjectNode summary(Firmware f) {
    return views
        .object()
        .put("firmwareId", f.firmwareId())
        .put("version", f.version())
        .put("size", f.sizeBytes())
        .put("sha256", f.sha256())
        .put("createdAt", f.createdAt());
  }

  private ObjectNode view(Firmware f) {
    ObjectNode node = summary(f);
    node.put("signatureAlgorithm", io.mamori.hub.pki.CodeSigningKey.ALGORITHM);
    node.put("signature", Base64.getEncoder().encodeToString(f.signature()));
    node.set("jobDocument", firmware.otaDocument(f.firmwareId()));
    return node;
  }

  private static <T> T guarded(Supplier<T> work) {
    try {
      return work.get();
    } catch (FirmwareException e) {
      throw switch (e.kind()) {
        case INVALID -> ApiException.badRequest(e.getMessage());
        case NOT_FOUND -> ApiException.notFound(e.getMessage());
        case CONFLICT -> new ApiException(409, "conflict", e.getMessage());
      };
    }
  }
}
