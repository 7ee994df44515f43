package io.mamori.hub.registry;

/** What became of one item of a bulk issuance batch: each succeeds or fails on its own. */
public sealed interface BatchOutcome {
  /** Position of the item in the request. */
  int index();

  /**
   * The item's certificate, registered ACTIVE and attached.
   *
   * @param existing true when it was issued by an earlier request of the same batch for the same
   *     public key (the request was sent again), false when issued now
   */
  record Issued(int index, DeviceCertificate certificate, boolean existing)
      implements BatchOutcome {}

  /** The item was refused; nothing of it was stored. */
  record Failed(int index, String reason) implements BatchOutcome {}
}
