package io.mamori.hub.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads a certificate file as the operator has it, PEM or DER, and hands the hub PEM text; whether
 * the bytes are a certificate at all is the hub's check, which names what is wrong.
 */
final class CertificateFiles {
  /** Far above any real certificate chain; stops a wrong file (a disk image) being uploaded. */
  private static final long MAX_BYTES = 128 * 1024;

  private CertificateFiles() {}

  static String readAsPem(Path file, String what) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new CliFailure(what + " " + file + " is larger than " + MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw CliFailure.unreadable(what, file, e);
    }
    if (bytes.length == 0) {
      throw new CliFailure(what + " " + file + " is empty");
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    if (text.contains("-----BEGIN")) {
      return text;
    }
    // Not PEM: take it as DER (RFC 5280 §4.1) and wrap it; the hub parses and judges it.
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(bytes)
        + "\n-----END CERTIFICATE-----\n";
  }
}
