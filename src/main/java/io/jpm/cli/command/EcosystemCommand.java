package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.EcosystemFileKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code jpm ecosystem|init [mode]}: writes a sample {@code ecosystem.config.js} in the current
 * folder, as pm2's does: the short one for {@code simple}, the full one for no mode or any other
 * word (pm2 reads no other mode, and refuses none). Like pm2's, it writes over a file that is
 * already there; unlike pm2's, a file other than the sample itself is first kept beside it, as
 * {@code ecosystem.config.js.bak} (or {@code .bak.1}, {@code .bak.2}, .. when that name is taken):
 * a pm2 script that runs {@code init} gets the sample, and nobody's own file is lost to it.
 */
public final class EcosystemCommand extends ParsedCommand {
    public EcosystemCommand() {
        super(Syntax.of("ecosystem", "init")
                .operands("[mode]", 0, 1)
                .summary("write a sample ./ecosystem.config.js (an existing one kept as ecosystem.config.js.bak)")
                .note("mode: simple for the short sample; none, or any other word, for the full one (as pm2)"));
    }

    static final String SIMPLE =
            """
      module.exports = {
        apps: [{
          name: 'app1',
          script: './app.js',
        }],
      };
      """;

    static final String FULL =
            """
      // jpm reads this file with node: process.env and require() work as in any Node script.
      // Every option is in jpm's docs/CONFIG.md (pm2's names).
      module.exports = {
        apps: [{
          name: 'api',
          script: './server.js',        // any language: .js node, .py python3, .sh bash, .jar java -jar, else run as is
          args: [],
          instances: 1,                 // or 'max'
          env: { NODE_ENV: 'development' },
          env_production: { NODE_ENV: 'production' },   // jpm start ecosystem.config.js --env production
          max_memory_restart: '300M',
          watch: false,
        }, {
          name: 'worker',
          script: './worker.py',
          cron_restart: '0 3 * * *',
        }],
      };
      """;

    @Override
    int run(Args args, Session session) throws IOException {
        String mode = args.positionals.isEmpty() ? "" : args.positionals.get(0);
        Path file = Path.of(System.getProperty("user.dir")).resolve(EcosystemFileKind.DEFAULT_FILE);
        String sample = mode.equals("simple") ? SIMPLE : FULL;
        Path kept = keep(file, sample);
        Path tmp = file.resolveSibling(
                file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(tmp, sample, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        session.out.println("[jpm] File " + file + " generated"
                + (kept == null ? "" : " (the file that was there is kept as " + kept.getFileName() + ")"));
        return 0;
    }

    /**
     * Moves a file that is there, unless it is this very sample, to the first free backup name;
     * returns that name, or null when nothing was moved.
     */
    private static Path keep(Path file, String sample) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                || Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && Files.readString(file, StandardCharsets.UTF_8).equals(sample)) {
            return null;
        }
        for (int n = 0; ; n++) {
            Path backup = file.resolveSibling(file.getFileName() + ".bak" + (n == 0 ? "" : "." + n));
            try {
                // without REPLACE_EXISTING: a taken name is skipped, never written over
                Files.move(file, backup);
                return backup;
            } catch (FileAlreadyExistsException e) {
                // taken: the next number
            }
        }
    }
}
