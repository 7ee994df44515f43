package io.mamori.hub.store;

import static io.mamori.hub.store.Records.thing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamori.hub.registry.RegistryException;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every store's {@link io.mamori.hub.registry.Transactor} must do. */
abstract class TransactorContract extends StoreContract {
  @Test
  void committedWorkIsKeptAndItsResultReturned() {
    String result =
        store
            .transactor()
            .inTransaction(
                () -> {
                  store.things().insert(thing("a"));
                  store.things().insert(thing("b"));
                  return "done";
                });

    assertThat(result).isEqualTo("done");
    assertThat(store.things().list()).hasSize(2);
  }

  @Test
  void aNestedTransactionJoinsTheOuterOne() {
    assertThatThrownBy(
            () ->
                store
                    .transactor()
                    .inTransaction(
                        () -> {
                          store.transactor().inTransaction(() -> store.things().insert(thing("a")));
                          throw new IllegalStateException("outer fails after inner finished");
                        }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(store.things().find("a")).isEmpty();
  }

  @Test
  void aFailedStepRollsBackEvenWhenTheWorkSwallowsIt() {
    store.things().insert(thing("a"));

    assertThatThrownBy(
            () ->
                store
                    .transactor()
                    .inTransaction(
                        () -> {
                          store.things().insert(thing("b"));
                          try {
                            store.things().insert(thing("a"));
                          } catch (RegistryException expected) {
                            // swallowed on purpose: the transaction must still not commit
                          }
                        }))
        .isInstanceOf(RuntimeException.class);

    assertThat(store.things().find("b")).isEmpty();
  }

  @Test
  void theStoreIsUsableAfterARolledBackTransaction() {
    assertThatThrownBy(
            () ->
                store
                    .transactor()
                    .inTransaction(
                        () -> {
                          store.things().insert(thing("a"));
                          throw new IllegalStateException("boom");
                        }))
        .hasMessage("boom");

    store.things().insert(thing("a"));
    store.transactor().inTransaction(() -> store.things().insert(thing("b")));

    assertThat(store.things().list()).hasSize(2);
  }

  @Test
  void afterCommitActionsRunOnceTheOutermostTransactionCommits() {
    var ran = new ArrayList<String>();

    store
        .transactor()
        .inTransaction(
            () -> {
              store
                  .transactor()
                  .inTransaction(
                      () -> {
                        store.things().insert(thing("a"));
                        store.transactor().afterCommit(() -> ran.add("inner"));
                      });
              store.transactor().afterCommit(() -> ran.add("outer"));
              assertThat(ran).isEmpty();
            });

    assertThat(ran).containsExactly("inner", "outer");
  }

  @Test
  void afterCommitActionsAreDroppedWhenTheTransactionRollsBack() {
    var ran = new ArrayList<String>();

    assertThatThrownBy(
            () ->
                store
                    .transactor()
                    .inTransaction(
                        () -> {
                          store.transactor().afterCommit(() -> ran.add("dropped"));
                          throw new IllegalStateException("boom");
                        }))
        .hasMessage("boom");
    store.transactor().inTransaction(() -> store.things().insert(thing("a")));

    assertThat(ran).isEmpty();
  }

  @Test
  void afterCommitOutsideATransactionRunsAtOnce() {
    var ran = new ArrayList<String>();

    store.transactor().afterCommit(() -> ran.add("now"));

    assertThat(ran).containsExactly("now");
  }

  @Test
  void anotherThreadDoesNotSeeOrJoinAnOpenTransaction() throws Exception {
    var inserted = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var writer =
        CompletableFuture.runAsync(
            () ->
                store
                    .transactor()
                    .inTransaction(
                        () -> {
                          store.things().insert(thing("a"));
                          inserted.countDown();
                          await(release);
                          throw new IllegalStateException("roll back");
                        }));
    assertThat(inserted.await(10, TimeUnit.SECONDS)).isTrue();

    var reader = CompletableFuture.supplyAsync(() -> store.things().find("a"));
    release.countDown();

    assertThat(reader.get(10, TimeUnit.SECONDS)).isEmpty();
    assertThatThrownBy(() -> writer.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("roll back");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
