package io.rowstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of processes from Linux's {@code /proc/<pid>/stat} (user + system, in clock ticks of
 * 1/100 s, the {@code USER_HZ} of every Linux the bench runs on). For PostgreSQL, {@link #tree}
 * counts the postmaster, every live child (backends, walwriter, checkpointer, autovacuum) and the
 * children it has already reaped ({@code cutime + cstime}): a backend that exits between two
 * readings moves its time from the live sum to the postmaster's, so a difference still counts it.
 */
final class ProcessCpu {
  static final double TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /** CPU seconds one process has used so far. */
  static double of(ProcessHandle process) throws IOException {
    return ticks(stat(process.pid()), false) / TICKS_PER_SECOND;
  }

  /** CPU seconds a process, its live children and its reaped children have used so far. */
  static double tree(ProcessHandle parent) throws IOException {
    long total = ticks(stat(parent.pid()), true);
    try (Stream<ProcessHandle> children = parent.children()) {
      for (ProcessHandle child : children.toList()) {
        String[] fields = stat(child.pid());
        total += fields.length == 0 ? 0 : ticks(fields, false);
      }
    }
    return total / TICKS_PER_SECOND;
  }

  /**
   * The fields after the command name (which may hold spaces and parentheses): index 0 is field 3
   * of proc(5), the state. Empty when the process has gone.
   */
  private static String[] stat(long pid) throws IOException {
    try {
      String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    } catch (NoSuchFileException e) {
      return new String[0];
    }
  }

  /** utime + stime (fields 14 and 15), with the reaped children's cutime + cstime (16, 17) when asked. */
  private static long ticks(String[] fields, boolean withReapedChildren) {
    if (fields.length == 0) {
      throw new IllegalStateException("the measured process has exited");
    }
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return withReapedChildren ? ticks + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : ticks;
  }
}
