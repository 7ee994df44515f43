package io.mamori.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
  @TempDir Path dir;

  @Test
  void createsA256BitUrlSafeTokenReadableByItsOwnerOnly() throws Exception {
    Path file = dir.resolve("data/admin.token");

    AdminToken token = AdminToken.loadOrCreate(file);

    assertThat(Base64.getUrlDecoder().decode(token.value())).hasSize(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file).strip()).isEqualTo(token.value());
    try (var leftovers = Files.list(file.getParent())) {
      assertThat(leftovers).containsExactly(file);
    }
  }

  @Test
  void loadsTheExistingTokenInsteadOfReplacingIt() {
    Path file = dir.resolve("admin.token");
    String first = AdminToken.loadOrCreate(file).value();

    assertThat(AdminToken.loadOrCreate(file).value()).isEqualTo(first);
  }

  @Test
  void twoCreatedTokensDiffer() {
    assertThat(AdminToken.loadOrCreate(dir.resolve("a")).value())
        .isNotEqualTo(AdminToken.loadOrCreate(dir.resolve("b")).value());
  }

  @Test
  void matchesOnlyTheExactToken() {
    AdminToken token = AdminToken.loadOrCreate(dir.resolve("admin.token"));

    assertThat(token.matches(token.value())).isTrue();
    assertThat(token.matches(token.value() + "x")).isFalse();
    assertThat(token.matches(token.value().substring(1))).isFalse();
    assertThat(token.matches("")).isFalse();
  }

  @Test
  void neverShowsTheTokenInToString() {
    AdminToken token = AdminToken.loadOrCreate(dir.resolve("admin.token"));

    assertThat(token.toString()).doesNotContain(token.value());
  }
}
