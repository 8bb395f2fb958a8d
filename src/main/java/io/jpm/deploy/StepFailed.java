package io.jpm.deploy;

/** A step that failed on one host: which step, and why in one line. The other hosts carry on. */
final class StepFailed extends RuntimeException {
    final String step;

    StepFailed(String step, String why) {
        super(why, null, false, false);
        this.step = step;
    }
}
