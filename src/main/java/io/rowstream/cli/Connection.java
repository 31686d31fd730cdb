package io.rowstream.cli;

import java.util.Map;
import java.util.Optional;

/**
 * Where the server is and who calls it, each setting taken from the first place that has it: the
 * command's flags, then the environment ({@code ROWSTREAM_URL}, {@code ROWSTREAM_USER}, {@code
 * ROWSTREAM_PASSWORD}, {@code ROWSTREAM_API_KEY}), then the profile ({@code --profile}, else
 * {@code ROWSTREAM_PROFILE}, else the profile file's current one), then the default URL {@value
 * #DEFAULT_URL}. An API key wins over a user and password.
 */
record Connection(
    String url,
    Optional<String> user,
    Optional<String> password,
    Optional<String> apiKey,
    Optional<String> caCert) {
  static final String DEFAULT_URL = "http://localhost:8082";

  /** The flags given on the command line (null when absent). */
  record Flags(
      String url, String user, String password, String apiKey, String caCert, String profile) {}

  static Connection resolve(Flags flags, Map<String, String> env, Profiles profiles) {
    String profileName = first(flags.profile(), env.get("ROWSTREAM_PROFILE"));
    Map<String, String> profile;
    if (profileName != null) {
      profile = profiles
          .profile(profileName)
          .orElseThrow(() ->
              new NotFoundException("no profile '" + profileName + "' in " + profiles.file()));
    } else {
      profile = profiles.current().flatMap(profiles::profile).orElse(Map.of());
    }
    String url = first(flags.url(), env.get("ROWSTREAM_URL"), profile.get("url"), DEFAULT_URL);
    return new Connection(
        url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
        Optional.ofNullable(first(flags.user(), env.get("ROWSTREAM_USER"), profile.get("user"))),
        Optional.ofNullable(
            first(flags.password(), env.get("ROWSTREAM_PASSWORD"), profile.get("password"))),
        Optional.ofNullable(
            first(flags.apiKey(), env.get("ROWSTREAM_API_KEY"), profile.get("api_key"))),
        Optional.ofNullable(
            first(flags.caCert(), env.get("ROWSTREAM_CA_CERT"), profile.get("ca_cert"))));
  }

  /** The {@code Authorization} header to send, if any. */
  Optional<String> authorization() {
    if (apiKey.isPresent()) {
      return Optional.of("Bearer " + apiKey.get());
    }
    return user.map(u -> "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(
                (u + ":" + password.orElse("")).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }
}
