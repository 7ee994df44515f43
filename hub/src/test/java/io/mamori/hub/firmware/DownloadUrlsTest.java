package io.mamori.hub.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadUrlsTest {
  private static final String FIRMWARE = "a".repeat(64);
  @TempDir Path dir;

  private static Clock at(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }

  private static Map<String, String> parse(String query) {
    Map<String, String> values = new HashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      values.put(
          pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return values;
  }

  private static Optional<String> refusal(
      DownloadUrls urls, String firmware, Map<String, String> q) {
    return urls.refusal(
        firmware,
        Optional.ofNullable(q.get("thing")),
        Optional.ofNullable(q.get("expires")),
        Optional.ofNullable(q.get("signature")));
  }

  @Test
  void aUrlWorksForItsThingAndFirmwareUntilItExpires() {
    DownloadUrls issuer = DownloadUrls.loadOrCreate(dir, Duration.ofMinutes(15), at(1_000));
    Map<String, String> q = parse(issuer.query(FIRMWARE, "cam-1"));
    assertThat(q.get("expires")).isEqualTo(Long.toString(1_000 + 900));

    DownloadUrls justBefore = DownloadUrls.loadOrCreate(dir, Duration.ofMinutes(15), at(1_899));
    DownloadUrls atExpiry = DownloadUrls.loadOrCreate(dir, Duration.ofMinutes(15), at(1_900));
    assertThat(refusal(justBefore, FIRMWARE, q)).isEmpty();
    assertThat(refusal(atExpiry, FIRMWARE, q)).contains("the URL expired");
  }

  @Test
  void changingThingFirmwareExpiryOrSignatureBreaksTheUrl() {
    DownloadUrls urls = DownloadUrls.loadOrCreate(dir, Duration.ofMinutes(15), at(1_000));
    Map<String, String> q = parse(urls.query(FIRMWARE, "cam-1"));

    Map<String, String> otherThing = new HashMap<>(q);
    otherThing.put("thing", "cam-2");
    Map<String, String> later = new HashMap<>(q);
    later.put("expires", Long.toString(Long.parseLong(q.get("expires")) + 3600));
    Map<String, String> noSignature = new HashMap<>(q);
    noSignature.remove("signature");

    assertThat(refusal(urls, FIRMWARE, otherThing)).get().asString().contains("signature");
    assertThat(refusal(urls, "b".repeat(64), q)).get().asString().contains("signature");
    assertThat(refusal(urls, FIRMWARE, later)).get().asString().contains("signature");
    assertThat(refusal(urls, FIRMWARE, noSignature)).get().asString().contains("lacks");
  }

  @Test
  void theKeyIsOwnerOnlyAndAnotherKeyRefusesTheUrl() throws Exception {
    DownloadUrls urls = DownloadUrls.loadOrCreate(dir, Duration.ofMinutes(15), at(1_000));
    Map<String, String> q = parse(urls.query(FIRMWARE, "cam-1"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("download-url.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    DownloadUrls otherHub =
        DownloadUrls.loadOrCreate(dir.resolve("other"), Duration.ofMinutes(15), at(1_000));
    assertThat(refusal(otherHub, FIRMWARE, q)).isPresent();
  }
}
