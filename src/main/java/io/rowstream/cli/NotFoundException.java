package io.rowstream.cli;

/** Something the command names does not exist on this side (a profile): exit code {@link ExitCodes#NOT_FOUND}. */
final class NotFoundException extends RuntimeException {
  NotFoundException(String message) {
    super(message);
  }
}
