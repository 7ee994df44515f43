package io.mamori.hub.detect;

import java.util.OptionalLong;

/** Why a device metrics report was rejected, with the report id when the header had one. */
final class ReportRejection extends RuntimeException {
  /** The report is not well-formed (encoding, required blocks, types or ranges of §8.4). */
  static final String INVALID_PAYLOAD = "InvalidPayload";

  private final String errorCode;
  private final OptionalLong reportId;

  ReportRejection(String errorCode, String message, OptionalLong reportId) {
    super(message);
    this.errorCode = errorCode;
    this.reportId = reportId;
  }

  static ReportRejection invalid(String message) {
    return new ReportRejection(INVALID_PAYLOAD, message, OptionalLong.empty());
  }

  ReportRejection withReportId(OptionalLong id) {
    return new ReportRejection(errorCode, getMessage(), id);
  }

  String errorCode() {
    return errorCode;
  }

  OptionalLong reportId() {
    return reportId;
  }
}
