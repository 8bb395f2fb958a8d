package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.EcosystemFileKind;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code jpm ecosystem|init [mode]}: writes a sample {@code ecosystem.config.js} in the current
 * folder, as pm2's does: the short one for {@code simple}, the full one for no mode or any other
 * word (pm2 reads no other mode, and refuses none). Unlike pm2's, it never overwrites a file that
 * is already there.
 */
public final class EcosystemCommand extends ParsedCommand {
    public EcosystemCommand() {
        super(Syntax.of("ecosystem", "init")
                .operands("[mode]", 0, 1)
                .summary("write a sample ./ecosystem.config.js (never over an existing one)")
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
        if (Files.exists(file)) {
            throw new CliException(
                    JpmError.INVALID_ARGUMENT,
                    file + " already exists: left as it is (remove it first to get a new sample)");
        }
        Path tmp = file.resolveSibling(
                file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(tmp, mode.equals("simple") ? SIMPLE : FULL, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        session.out.println("[jpm] File " + file + " generated");
        return 0;
    }
}
