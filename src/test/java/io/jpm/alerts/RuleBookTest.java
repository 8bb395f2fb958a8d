package io.jpm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.AlertSettings;
import io.jpm.config.AlertSettings.When;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleBookTest {
    private static RuleBook book(String rules, String window, int max) {
        return new RuleBook(
                AlertSettings.parse(
                        "jpm.json",
                        new JsonObject("{\"window\":\"" + window + "\",\"max_per_window\":" + max + ",\"rules\":"
                                + rules + "}")),
                0);
    }

    @Test
    void restartsFireOnceWhileTheyHoldAndResolveWhenTheyLeaveTheWindow() {
        RuleBook book = book("[{\"name\":\"loop\",\"when\":\"restarts\",\"over\":3,\"per\":\"10s\"}]", "10m", 20);
        assertTrue(book.restarted("api", 1_000).isEmpty());
        assertTrue(book.restarted("api", 2_000).isEmpty());
        List<Alert> fired = book.restarted("api", 3_000);
        assertEquals(1, fired.size());
        assertEquals(Alert.FIRING, fired.get(0).status());
        assertTrue(book.restarted("api", 4_000).isEmpty(), "no second alert while it holds");
        assertEquals(11_000, book.nextRestartCheck(4_000), "when the first restart leaves the window");
        assertTrue(book.judgeRestarts(11_500).isEmpty(), "3 left in the window");
        List<Alert> resolved = book.judgeRestarts(13_000);
        assertEquals(Alert.RESOLVED, resolved.get(0).status());
        assertEquals(-1, book.nextRestartCheck(13_000));
    }

    @Test
    void aConditionThatFlapsWithinTheWindowIsHeldBackAndCounted() {
        RuleBook book = book("[{\"name\":\"down\",\"when\":\"errored\"}]", "1m", 20);
        assertEquals(
                1, book.state(When.ERRORED, "api", true, 0, "api is errored").size());
        assertEquals(
                Alert.RESOLVED,
                book.state(When.ERRORED, "api", false, 1_000, "x").get(0).status());
        assertTrue(book.state(When.ERRORED, "api", true, 2_000, "again").isEmpty());
        assertTrue(book.state(When.ERRORED, "api", false, 3_000, "x").isEmpty(), "no resolved for what was not sent");
        assertEquals(1L, book.suppressed().get("down"));
        assertEquals(
                1,
                book.state(When.ERRORED, "api", true, 61_000, "after the window")
                        .size());
    }

    @Test
    void aRuleSendsAtMostMaxPerWindowOverAllItsApps() {
        RuleBook book = book("[{\"name\":\"down\",\"when\":\"errored\"}]", "1m", 2);
        for (int app = 0; app < 5; app++) {
            book.state(When.ERRORED, "app" + app, true, app, "errored");
        }
        assertEquals(3L, book.suppressed().get("down"));
    }

    @Test
    void memoryFiresOnlyOnceItHeldForItsDuration() {
        RuleBook book = book("[{\"name\":\"fat\",\"when\":\"memory\",\"over\":\"100M\",\"for\":\"30s\"}]", "10m", 20);
        long big = 200L << 20;
        assertTrue(book.usage("api", big, 0, 0).isEmpty());
        assertTrue(book.usage("api", big, 0, 29_000).isEmpty());
        List<Alert> fired = book.usage("api", big, 0, 30_000);
        assertEquals(1, fired.size());
        assertTrue(fired.get(0).text().contains("200 MB"), fired.get(0).text());
        assertEquals(
                Alert.RESOLVED, book.usage("api", 1 << 20, 0, 31_000).get(0).status());
    }

    @Test
    void exceptionsFireOncePerAppAndWindow() {
        RuleBook book = book("[{\"name\":\"thrown\",\"when\":\"exception\",\"apps\":[\"api\"]}]", "1m", 20);
        assertEquals(1, book.exception("api", "api threw", 0).size());
        assertTrue(book.exception("api", "api threw", 1).isEmpty());
        assertTrue(book.exception("worker", "not covered", 1).isEmpty());
        assertEquals(1, book.exception("api", "api threw", 60_001).size());
    }

    /** The next daemon's book, after what this one carries went through alerts.json's JSON. */
    private static RuleBook next(RuleBook before, String rules, long now) {
        RuleBook after = book(rules, "10m", 20);
        after.takeOver(CarriedRules.fromJson(before.carry(now).toJson()));
        return after;
    }

    @Test
    void aFiringCarriedToTheNextDaemonIsNotSentAgainWhileItHoldsAndItsEndIsSent() {
        String rules = "[{\"name\":\"down\",\"when\":\"errored\"},"
                + "{\"name\":\"fat\",\"when\":\"memory\",\"over\":\"100M\"}]";
        RuleBook before = book(rules, "10m", 20);
        assertEquals(
                1, before.state(When.ERRORED, "api", true, 0, "api is errored").size());
        assertEquals(1, before.usage("web", 200L << 20, 0, 0).size());
        RuleBook after = next(before, rules, 1_000);
        assertTrue(after.carries(When.ERRORED, "api"));
        assertTrue(
                after.state(When.ERRORED, "api", true, 2_000, "api is errored").isEmpty(), "the firing stands");
        assertTrue(after.state(When.ERRORED, "api", true, 3_000_000, "still").isEmpty(), "past the window too");
        assertEquals(null, after.suppressed().get("down"), "nothing held back: nothing was to send");
        List<Alert> resolved = after.state(When.ERRORED, "api", false, 3_001_000, "api is online");
        assertEquals(Alert.RESOLVED, resolved.get(0).status());
        // a condition that cleared while no daemon ran: its first sample sends the end
        assertEquals(
                Alert.RESOLVED, after.usage("web", 1 << 20, 0, 2_000).get(0).status());
    }

    @Test
    void aCarriedCrashLoopGoesOnWithItsRestartsAndClearsWhenTheyLeaveTheWindow() {
        String rules = "[{\"name\":\"loop\",\"when\":\"restarts\",\"over\":3,\"per\":\"10s\"}]";
        RuleBook before = book(rules, "10m", 20);
        before.restarted("api", 1_000);
        before.restarted("api", 2_000);
        assertEquals(1, before.restarted("api", 3_000).size());
        RuleBook after = next(before, rules, 3_500);
        assertTrue(after.restarted("api", 4_000).isEmpty(), "no second alert while it holds");
        assertEquals(11_000, after.nextRestartCheck(4_000));
        assertEquals(Alert.RESOLVED, after.judgeRestarts(13_000).get(0).status());
    }

    @Test
    void anExceptionRulesWindowGoesOnOverARestart() {
        String rules = "[{\"name\":\"thrown\",\"when\":\"exception\"}]";
        RuleBook before = book(rules, "1m", 20);
        assertEquals(1, before.exception("api", "api threw", 0).size());
        RuleBook after = book(rules, "1m", 20);
        after.takeOver(CarriedRules.fromJson(before.carry(1_000).toJson()));
        assertTrue(after.exception("api", "api threw", 2_000).isEmpty());
        assertEquals(1L, after.suppressed().get("thrown"));
        // and over the restart after that one: the window is the first daemon's still
        RuleBook third = book(rules, "1m", 20);
        third.takeOver(CarriedRules.fromJson(after.carry(3_000).toJson()));
        assertTrue(third.exception("api", "api threw", 4_000).isEmpty());
        assertEquals(1, third.exception("api", "api threw", 60_001).size());
    }

    @Test
    void aConditionThatClearedHoldsAgainAfterARestartWithinTheWindowIsHeldBack() {
        String rules = "[{\"name\":\"down\",\"when\":\"errored\"}]";
        RuleBook before = book(rules, "10m", 20);
        before.state(When.ERRORED, "api", true, 0, "api is errored");
        before.state(When.ERRORED, "api", false, 1_000, "api is online");
        RuleBook after = next(before, rules, 2_000);
        assertTrue(after.state(When.ERRORED, "api", true, 3_000, "again").isEmpty());
        assertEquals(1L, after.suppressed().get("down"));
        assertTrue(after.state(When.ERRORED, "api", false, 4_000, "x").isEmpty(), "no end of what was not sent");
    }

    @Test
    void aRuleGoneFromJpmJsonTakesNothingOver() {
        RuleBook before = book("[{\"name\":\"down\",\"when\":\"errored\"}]", "10m", 20);
        before.state(When.ERRORED, "api", true, 0, "api is errored");
        RuleBook after = next(before, "[{\"name\":\"other\",\"when\":\"errored\"}]", 1_000);
        assertEquals(
                1,
                after.state(When.ERRORED, "api", true, 2_000, "api is errored").size());
    }
}
