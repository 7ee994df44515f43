package io.mamori.agent.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFilesTest {
  @TempDir Path dir;

  private String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void writesOwnerOnlyAndReplacesAtomicallyLeavingNoTemporaryFile() throws Exception {
    Path key = dir.resolve("device.key");
    Files.writeString(key, "old");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    CredentialFiles.writeAtomically(key, "new");

    assertThat(Files.readString(key)).isEqualTo("new");
    assertThat(mode(key)).isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(key);
    }
  }

  @Test
  void stagedPairReplacesTheCurrentOneOnlyOnCommit() throws Exception {
    var current =
        new DeviceCredentials(dir.resolve("d.crt"), dir.resolve("d.key"), dir.resolve("ca.crt"));
    CredentialFiles.writeAtomically(current.certificateFile(), "old cert");
    CredentialFiles.writeAtomically(current.keyFile(), "old key");
    assertThat(CredentialFiles.findStaged(current)).isEmpty();

    DeviceCredentials staged = CredentialFiles.stage(current, "new cert", "new key");

    assertThat(staged.certificateFile()).isEqualTo(dir.resolve("d.crt.new"));
    assertThat(CredentialFiles.findStaged(current)).contains(staged);
    assertThat(Files.readString(current.certificateFile())).isEqualTo("old cert");
    assertThat(mode(staged.keyFile())).isEqualTo("rw-------");

    CredentialFiles.commit(current);

    assertThat(Files.readString(current.certificateFile())).isEqualTo("new cert");
    assertThat(Files.readString(current.keyFile())).isEqualTo("new key");
    assertThat(mode(current.keyFile())).isEqualTo("rw-------");
    assertThat(CredentialFiles.findStaged(current)).isEmpty();
  }

  @Test
  void aStagedCertificateWithoutItsKeyIsNotAPair() throws Exception {
    var current =
        new DeviceCredentials(dir.resolve("d.crt"), dir.resolve("d.key"), dir.resolve("ca.crt"));
    Files.writeString(dir.resolve("d.crt.new"), "orphan");
    assertThat(CredentialFiles.findStaged(current)).isEmpty();
  }
}
