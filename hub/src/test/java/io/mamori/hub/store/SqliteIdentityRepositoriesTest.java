package io.mamori.hub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.identity.OwnershipTokens;
import io.mamori.hub.identity.Rotation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ownership tokens and rotations in SQLite, as the identity API and issue 5 use them. */
class SqliteIdentityRepositoriesTest {
  @TempDir Path dir;
  private SqliteDatabase db;
  private final AtomicReference<Instant> now = new AtomicReference<>(Records.T0);
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };
  private final String oldId = Records.certificate(1).id();
  private final String newId = Records.certificate(2).id();
  private final String otherId = Records.certificate(3).id();

  @BeforeEach
  void open() {
    db = SqliteDatabase.open(dir.resolve("mamori.db"));
    var certificates = new SqliteCertificateRepository(db);
    certificates.insert(Records.certificate(1));
    certificates.insert(Records.certificate(2));
    certificates.insert(Records.certificate(3));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void ownershipTokenIsUsableOnceAndStoredOnlyAsAHash() {
    var tokens = new OwnershipTokens(new SqliteOwnershipTokenRepository(db), db, clock);
    String token = tokens.issue(newId);

    assertThat(token).hasSizeGreaterThanOrEqualTo(43); // 256 random bits, base64url
    assertThat(db.query("SELECT token_hash FROM certificate_ownership_tokens", r -> r.getString(1)))
        .singleElement()
        .satisfies(stored -> assertThat(stored).doesNotContain(token).hasSize(64));
    // Fleet provisioning peeks before its pre-provisioning hook: that does not use it up.
    assertThat(tokens.peek(token)).contains(newId);
    assertThat(tokens.peek(token)).contains(newId);
    assertThat(tokens.consume(token)).contains(newId);
    assertThat(tokens.peek(token)).isEmpty();
    assertThat(tokens.consume(token)).isEmpty();
    assertThat(tokens.consume("")).isEmpty();
    assertThat(tokens.consume("not-a-token")).isEmpty();
  }

  @Test
  void ownershipTokenExpiresAfterOneHour() {
    var tokens = new OwnershipTokens(new SqliteOwnershipTokenRepository(db), db, clock);
    String expired = tokens.issue(newId);
    String purged = tokens.issue(otherId);
    now.set(Records.T0.plus(OwnershipTokens.VALIDITY));

    assertThat(tokens.peek(expired)).isEmpty();
    assertThat(tokens.consume(expired)).isEmpty();
    assertThat(tokens.purgeExpired()).isEqualTo(1);
    assertThat(tokens.consume(purged)).isEmpty();
  }

  @Test
  void rotationsStayPendingUntilCompletedOnce() {
    var rotations = new SqliteRotationRepository(db);
    var first = new Rotation(newId, oldId, Records.T0, Records.T0.plus(Duration.ofDays(7)));
    var second = new Rotation(otherId, oldId, Records.T0.plusSeconds(1), Records.T0.plusSeconds(5));
    rotations.insert(first);
    rotations.insert(second);

    assertThat(rotations.pending()).containsExactly(first, second);
    assertThat(rotations.pendingFrom(oldId)).containsExactly(first, second);
    assertThat(rotations.findPending(newId)).contains(first);

    assertThat(rotations.complete(newId, Records.T0.plusSeconds(2), "connected")).isTrue();
    assertThat(rotations.complete(newId, Records.T0.plusSeconds(3), "grace-expired")).isFalse();
    assertThat(rotations.findPending(newId)).isEmpty();
    assertThat(rotations.pending()).containsExactly(second);
    assertThat(
            db.queryOne(
                "SELECT outcome FROM certificate_rotations WHERE new_certificate_id = ?",
                r -> r.getString(1),
                newId))
        .contains("connected");
  }
}
