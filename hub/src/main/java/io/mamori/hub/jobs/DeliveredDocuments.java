package io.mamori.hub.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a stored job document into the one a given thing receives, at the moment it receives it:
 * the hub's version of AWS's {@code ${aws:iot:s3-presigned-url:...}} placeholders (reference §3.4),
 * which are replaced by a fresh, per-device URL each time a device fetches the document. Operators
 * always see the stored document.
 */
@FunctionalInterface
public interface DeliveredDocuments {
  /** Documents delivered exactly as stored. */
  DeliveredDocuments AS_STORED = (thing, document) -> document;

  /** The document {@code thing} receives; must not modify {@code stored}. */
  ObjectNode forThing(String thing, ObjectNode stored);
}
