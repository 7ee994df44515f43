package io.mamori.hub.audit;

import java.util.List;

/**
 * What {@link AuditVerifier} found.
 *
 * @param records lines read
 * @param lastSeq sequence number of the last record (0 for an empty log)
 * @param checkpoints valid signed checkpoints
 * @param lastCheckpointSeq the last record a valid checkpoint covers (0 if none)
 * @param keyId the audit key checkpoints were checked against
 * @param problems evidence of tampering or damage, each with its place; empty means intact
 * @param notes facts worth knowing that are not tampering: gaps, repaired torn writes, the unsigned
 *     tail
 */
public record AuditVerification(
    long records,
    long lastSeq,
    long checkpoints,
    long lastCheckpointSeq,
    String keyId,
    List<Finding> problems,
    List<Finding> notes) {

  public boolean intact() {
    return problems.isEmpty();
  }

  /** Whether events were lost to a full queue (the chain itself may still be intact). */
  public boolean hasGaps() {
    return notes.stream().anyMatch(n -> n.what().startsWith("gap"));
  }

  /**
   * One finding and where: the segment file, its 1-based line, and the record's sequence number (-1
   * when the line could not be read).
   */
  public record Finding(String file, int line, long seq, String what) {
    @Override
    public String toString() {
      return file + ":" + line + (seq >= 0 ? " seq " + seq : "") + ": " + what;
    }
  }
}
