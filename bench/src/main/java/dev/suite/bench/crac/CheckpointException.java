package dev.suite.bench.crac;

/** A checkpoint failed; each failing resource's exception is suppressed in it (org.crac copies them into its own). */
public class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckpointException() {
        super("beforeCheckpoint failed");
    }
}
