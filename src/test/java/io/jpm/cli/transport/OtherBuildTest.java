package io.jpm.cli.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jpm.protocol.Build;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The other-build line from daemon.json: none for the same jar or build, both builds named otherwise. */
class OtherBuildTest {
    private static Json.Value daemonJson(String build, String jarStamp) {
        String json = "{\"pid\":42" + (build == null ? "" : ",\"build\":" + build)
                + (jarStamp == null ? "" : ",\"jarStamp\":\"" + jarStamp + "\"") + "}";
        try {
            return Json.parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String buildJson(Build build) {
        return "{\"version\":\"" + build.version() + "\",\"commit\":\"" + build.commit() + "\",\"built\":\""
                + build.built() + "\"}";
    }

    @Test
    void theSameJarUnchangedIsTheSameBuildWhateverDaemonJsonSays() {
        assertNull(OtherBuild.line(daemonJson(null, "/opt/jpm.jar@1"), "/opt/jpm.jar@1"));
    }

    @Test
    void anotherJarOfTheSameBuildSaysNothing() {
        assertNull(OtherBuild.line(daemonJson(buildJson(Build.current()), "/old/jpm.jar@1"), "/opt/jpm.jar@2"));
    }

    @Test
    void anotherBuildIsOneLineNamingBothAndUpdate() {
        Build own = Build.current();
        Build other = new Build(own.version(), own.commit(), "2001-02-03T04:05:06Z");
        assertEquals(
                "[jpm] the daemon (pid 42) runs jpm " + other.describe() + ", this jpm is " + own.describe()
                        + ": run jpm update to hand the apps to this build's daemon",
                OtherBuild.line(daemonJson(buildJson(other), "/opt/jpm.jar@1"), "/opt/jpm.jar@2"));
    }

    @Test
    void aDaemonOlderThanTheBuildRecordIsAnotherBuild() {
        assertEquals(
                "[jpm] the daemon (pid 42) runs jpm unknown (commit unknown, built unknown), this jpm is "
                        + Build.current().describe() + ": run jpm update to hand the apps to this build's daemon",
                OtherBuild.line(daemonJson(null, null), null));
    }
}
