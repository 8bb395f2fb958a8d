package io.jpm.god;

import io.jpm.protocol.ProcessEvent;
import io.vertx.core.file.FileSystem;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * pm2's pid files, JPM_HOME/pids/&lt;name&gt;-&lt;pm_id&gt;.pid, kept from process events: written when an
 * instance comes online, removed when its process is gone. For scripts and init systems that look
 * for them; jpm itself never reads them back.
 */
final class PidFiles {
  private static final Logger LOG = Logger.getLogger("jpm.god");

  private final FileSystem fs;
  private final Path dir;

  PidFiles(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  void onEvent(ProcessEvent event) {
    String file = dir.resolve(GodVerticle.safe(event.app()) + "-" + event.pmId() + ".pid").toString();
    if ("online".equals(event.to()) && event.pid() != null) {
      fs.writeFile(file, io.vertx.core.buffer.Buffer.buffer(event.pid() + "\n"))
          .onFailure(e -> LOG.warning(() -> "cannot write " + file + ": " + e.getMessage()));
    } else if (!"online".equals(event.to()) && !"stopping".equals(event.to()) && !"launching".equals(event.to())) {
      fs.delete(file).recover(e -> io.vertx.core.Future.succeededFuture());
    }
  }
}
