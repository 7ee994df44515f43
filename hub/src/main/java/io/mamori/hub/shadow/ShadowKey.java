package io.mamori.hub.shadow;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which shadow: a thing's classic shadow ({@code name} empty) or one of its named shadows.
 *
 * @param thing the thing name
 * @param name the shadow name, empty for the classic shadow
 */
public record ShadowKey(String thing, String name) {
  /** AWS §4.1: shadow names are 1-64 of {@code [$a-zA-Z0-9:_-]}. */
  private static final Pattern SHADOW_NAME = Pattern.compile("[$a-zA-Z0-9:_-]{1,64}");

  public ShadowKey {
    Objects.requireNonNull(thing, "thing");
    Objects.requireNonNull(name, "name");
  }

  public static ShadowKey classic(String thing) {
    return new ShadowKey(thing, "");
  }

  public static ShadowKey named(String thing, String name) {
    return new ShadowKey(thing, name);
  }

  public boolean isClassic() {
    return name.isEmpty();
  }

  /** True when a named shadow's name fits AWS's character set and length. */
  public static boolean validName(String name) {
    return SHADOW_NAME.matcher(name).matches();
  }

  /** {@code $aws/things/T/shadow} or {@code $aws/things/T/shadow/name/N} (reference §4.1). */
  public String topicPrefix() {
    String classic = "$aws/things/" + thing + "/shadow";
    return isClassic() ? classic : classic + "/name/" + name;
  }

  /** The name AWS puts in "No shadow exists with name": the thing's for the classic shadow. */
  String displayName() {
    return isClassic() ? thing : name;
  }

  @Override
  public String toString() {
    return isClassic() ? thing : thing + "/" + name;
  }
}
