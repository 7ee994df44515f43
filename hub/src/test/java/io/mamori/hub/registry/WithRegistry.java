package io.mamori.hub.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the service tests: a fresh {@link RegistryFixture} in a temporary directory per test. */
abstract class WithRegistry {
  @TempDir Path dir;
  protected RegistryFixture registry;

  @BeforeEach
  void openRegistry() {
    registry = RegistryFixture.open(dir);
  }

  @AfterEach
  void closeRegistry() {
    registry.close();
  }

  /** The call fails with a registry refusal of this kind whose message contains {@code text}. */
  static void assertRefused(ThrowingCallable call, RegistryException.Kind kind, String text) {
    assertThatThrownBy(call)
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining(text)
        .extracting(e -> ((RegistryException) e).kind())
        .isEqualTo(kind);
  }
}
