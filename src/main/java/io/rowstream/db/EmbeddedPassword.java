package io.rowstream.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The embedded PostgreSQL's password: 256 random bits, generated at first start into a file that
 * only the node's account may read or write (0600), and read from it at every later start.
 */
final class EmbeddedPassword {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private EmbeddedPassword() {}

  static String readOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
          Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
          return password;
        } catch (FileAlreadyExistsException e) {
          // another start made it meanwhile: read theirs
        }
      }
      if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
      String password = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (password.isEmpty()) {
        throw new IllegalStateException(
            "the embedded PostgreSQL's password file " + file + " is empty");
      }
      return password;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read or create the embedded PostgreSQL's password file " + file, e);
    }
  }
}
