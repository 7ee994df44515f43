package io.mamori.hub.registry;

/** Decides whether a new thing may be given a thing type (reference §9.1). */
@FunctionalInterface
public interface ThingTypeCheck {
  /** Any type name is accepted (a registry without thing types). */
  ThingTypeCheck ANY = type -> {};

  /**
   * Throws a {@link RegistryException} when a new thing may not have this type: it does not exist
   * or it is deprecated. Called inside the transaction that creates the thing.
   */
  void allowNewThing(String thingType);
}
