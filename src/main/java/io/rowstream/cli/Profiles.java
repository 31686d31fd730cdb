package io.rowstream.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The profile file, {@code ~/.config/rowstream/config} (or {@code $ROWSTREAM_CONFIG}), as {@code
 * rpk profile} keeps its profiles: named sets of connection settings and the one in use.
 *
 * <pre>
 * current = prod
 *
 * [prod]
 * url = https://rowstream.example.com:8082
 * user = admin
 * password = s3cret
 * </pre>
 *
 * Keys: {@code url}, {@code user}, {@code password}, {@code api_key}. Lines starting with {@code #}
 * are comments. The file is written readable by its owner only, since it may hold secrets.
 */
final class Profiles {
  static final List<String> KEYS = List.of("url", "user", "password", "api_key");

  private final Path file;
  private String current;
  private final Map<String, Map<String, String>> profiles = new TreeMap<>();

  private Profiles(Path file) {
    this.file = file;
  }

  /** The profile file of this environment: {@code $ROWSTREAM_CONFIG}, else under {@code $HOME}. */
  static Path location(Map<String, String> env) {
    String explicit = env.get("ROWSTREAM_CONFIG");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".config", "rowstream", "config");
  }

  /** The profiles in {@code file}; none when it does not exist. */
  static Profiles load(Path file) {
    Profiles p = new Profiles(file);
    if (!Files.exists(file)) {
      return p;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UsageException("cannot read the profile file " + file + ": " + e.getMessage());
    }
    Map<String, String> section = null;
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = p.profiles.computeIfAbsent(
            line.substring(1, line.length() - 1).strip(), k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new UsageException(
            file + " line " + n + ": expected key = value, got '" + line + "'");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (section == null) {
        if (key.equals("current")) {
          p.current = value;
        }
      } else {
        section.put(key, value);
      }
    }
    return p;
  }

  Path file() {
    return file;
  }

  /** The profile in use, if any. */
  Optional<String> current() {
    return Optional.ofNullable(current);
  }

  List<String> names() {
    return new ArrayList<>(profiles.keySet());
  }

  /** The settings of a profile; empty when there is no such profile. */
  Optional<Map<String, String>> profile(String name) {
    return Optional.ofNullable(profiles.get(name)).map(Map::copyOf);
  }

  /** Creates or updates a profile with these settings (a null value removes the key). */
  void put(String name, Map<String, String> settings) {
    Map<String, String> profile = profiles.computeIfAbsent(name, k -> new LinkedHashMap<>());
    settings.forEach((k, v) -> {
      if (v == null) {
        profile.remove(k);
      } else {
        profile.put(k, v);
      }
    });
  }

  void use(String name) {
    if (!profiles.containsKey(name)) {
      throw new NotFoundException("no profile '" + name + "' in " + file);
    }
    current = name;
  }

  void delete(String name) {
    if (profiles.remove(name) == null) {
      throw new NotFoundException("no profile '" + name + "' in " + file);
    }
    if (name.equals(current)) {
      current = null;
    }
  }

  void save() {
    StringBuilder text = new StringBuilder("# rowstream profiles (rowstream profile --help)\n");
    if (current != null) {
      text.append("current = ").append(current).append('\n');
    }
    profiles.forEach((name, settings) -> {
      text.append('\n').append('[').append(name).append("]\n");
      settings.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
    });
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep its default permissions
      }
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the profile file " + file, e);
    }
  }
}
