package io.jpm.web;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last lines of a log file, read backwards from its end in blocks, so a 1 GiB log costs what
 * its last lines cost. Blocking: called on a worker thread.
 */
final class LogTail {
  private static final int BLOCK = 64 * 1024;
  /** More than a browser or a terminal wants to show at once. */
  static final int MAX_LINES = 10_000;

  private LogTail() {}

  static List<String> last(String file, int lines) throws IOException {
    if (file == null || lines <= 0 || "/dev/null".equals(file) || !Files.isRegularFile(Path.of(file))) {
      return List.of();
    }
    try (RandomAccessFile in = new RandomAccessFile(file, "r")) {
      long end = in.length();
      long start = end;
      int newlines = 0;
      byte[] block = new byte[BLOCK];
      // walk back until we have seen one newline more than the lines wanted (the last line may end with one)
      while (start > 0 && newlines <= lines) {
        int size = (int) Math.min(BLOCK, start);
        start -= size;
        in.seek(start);
        in.readFully(block, 0, size);
        for (int i = size - 1; i >= 0; i--) {
          if (block[i] == '\n') {
            newlines++;
          }
        }
      }
      byte[] tail = new byte[(int) (end - start)];
      in.seek(start);
      in.readFully(tail);
      String[] all = new String(tail, StandardCharsets.UTF_8).split("\n", -1);
      Deque<String> kept = new ArrayDeque<>();
      // the last element is what follows the final newline: empty unless the app wrote a partial line
      for (int i = all.length - 1; i >= 0 && kept.size() < lines; i--) {
        if (i == all.length - 1 && all[i].isEmpty()) {
          continue;
        }
        if (i == 0 && start > 0) {
          break; // a line cut by where the read began
        }
        kept.addFirst(all[i]);
      }
      return new ArrayList<>(kept);
    }
  }
}
