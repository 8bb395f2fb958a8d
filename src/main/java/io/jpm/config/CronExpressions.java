package io.jpm.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * cron_restart expressions, pm2's two forms: 5 fields (minute hour day-of-month month day-of-week,
 * Unix cron) and 6 fields with seconds first (as pm2's croner reads them). Parsed by cron-utils,
 * loaded only when an app has a cron_restart.
 */
public final class CronExpressions {
    private CronExpressions() {}

    private static final class Parsers {
        static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
        static final CronParser WITH_SECONDS =
                new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));
    }

    /** The parsed expression; IllegalArgumentException with the reason when it is not valid. */
    public static Cron parse(String expression) {
        String trimmed = expression.trim();
        int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new IllegalArgumentException(
                    "needs 5 fields (minute hour day month weekday) or 6 (seconds first), got " + fields);
        }
        try {
            return (fields == 5 ? Parsers.UNIX : Parsers.WITH_SECONDS)
                    .parse(trimmed)
                    .validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Time from {@code now} to the next firing, if there is one. */
    public static Optional<Duration> untilNext(Cron cron, ZonedDateTime now) {
        return ExecutionTime.forCron(cron).timeToNextExecution(now);
    }
}
